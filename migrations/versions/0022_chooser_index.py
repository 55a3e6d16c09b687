"""Page indexes, third round: the training enrolment chooser's order.

The chooser lists the first fifty people who can be enrolled, eligible ones first, then
those in training, then by name; at 1,700 trained mentors that sort read and ordered all
of them on every visit of a cycle page. This index holds that order (the two comparisons
written out as the chooser writes them, ``duo.people.models.CHOOSER_KEYS_SQL``).
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_chooser_index"
down_revision = "0021_page_indexes_duos"

_KEYS = ["(state <> 'eligible')", "(state <> 'in_training')"]


def upgrade():
    op.create_index(
        "ix_people_tenant_role_chooser",
        "people",
        [
            "tenant_id",
            "role",
            *(sa.text(key) for key in _KEYS),
            sa.text("lower(last_name)"),
            sa.text("lower(first_name)"),
            "id",
        ],
    )


def downgrade():
    op.drop_index("ix_people_tenant_role_chooser", table_name="people")
