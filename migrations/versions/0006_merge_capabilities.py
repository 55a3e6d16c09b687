"""merge the capabilities' first revisions into one line

People, information sessions, training and matching were built side by side on top of
the foundation; from here on every revision has a single parent.

Revision ID: 0006_merge_capabilities
Revises: 0002_people_profiles, 0003_info_sessions, 0004_training, 0005_matching_duos
Create Date: 2026-11-22
"""

revision = "0006_merge_capabilities"
down_revision = (
    "0002_people_profiles",
    "0003_info_sessions",
    "0004_training",
    "0005_matching_duos",
)
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
