"""Merge the capabilities' first revisions into one line.

People, information sessions, training and matching were built side by side on top of
the foundation; from here on every revision has a single parent.
"""

revision = "0006_merge_capabilities"
down_revision = (
    "0002_people_profiles",
    "0003_info_sessions",
    "0004_training",
    "0005_matching_duos",
)


def upgrade():
    pass


def downgrade():
    pass
