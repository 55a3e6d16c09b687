"""Duos follow-ups: the legacy ``duos.first_meeting_on`` day goes (``first_meeting_at`` holds it).

The first meeting is planned with a moment, a place and the coordinator attending
(``first_meeting_at`` and its companions, revision 0010). The day-only column of the first
duo pages is superseded: a legacy row that has a day but no moment gets that day at noon UTC
(the same day in every branch's zone); the day also stays in the duo's history.
"""

from datetime import UTC, datetime, time

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime

revision = "0018_duos_followups"
down_revision = "0017_branch_import"


def upgrade():
    duos = sa.table(
        "duos",
        sa.column("first_meeting_on", sa.Date()),
        sa.column("first_meeting_at", UTCDateTime()),
    )
    bind = op.get_bind()
    legacy = bind.execute(
        sa.select(duos.c.first_meeting_on)
        .where(duos.c.first_meeting_at.is_(None), duos.c.first_meeting_on.is_not(None))
        .distinct()
    ).scalars()
    for day in list(legacy):
        bind.execute(
            duos.update()
            .where(duos.c.first_meeting_at.is_(None), duos.c.first_meeting_on == day)
            .values(first_meeting_at=datetime.combine(day, time(12), tzinfo=UTC))
        )
    with op.batch_alter_table("duos", schema=None) as batch_op:
        batch_op.drop_column("first_meeting_on")


def downgrade():
    with op.batch_alter_table("duos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_meeting_on", sa.Date()))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE duos SET first_meeting_on = (first_meeting_at AT TIME ZONE 'UTC')::date"
            " WHERE first_meeting_at IS NOT NULL"
        )
    else:
        op.execute(
            "UPDATE duos SET first_meeting_on = date(first_meeting_at)"
            " WHERE first_meeting_at IS NOT NULL"
        )
