"""matching sessions (locks, exclusions) and duos with their history

Revision ID: 0005_matching_duos
Revises: 0001_foundation
Create Date: 2026-11-22 01:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import duo.core.db.types
from duo.core.tenancy import rls

revision = '0005_matching_duos'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

TENANT_TABLES = ("matching_sessions", "duos", "matching_constraints", "duo_state_changes")


def upgrade():
    op.create_table('matching_sessions',
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_by_user_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_user_id'], ['users.id'], name=op.f('fk_matching_sessions_closed_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by_user_id'], ['users.id'], name=op.f('fk_matching_sessions_opened_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_matching_sessions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_matching_sessions'))
    )
    with op.batch_alter_table('matching_sessions', schema=None) as batch_op:
        batch_op.create_index('uq_matching_sessions_open', ['tenant_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('duos',
    sa.Column('mentee_id', sa.Uuid(), nullable=False),
    sa.Column('mentor_id', sa.Uuid(), nullable=False),
    sa.Column('matching_session_id', sa.Uuid(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_changed_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('proposed_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_meeting_on', sa.Date(), nullable=True),
    sa.Column('started_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('ended_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stop_reason', sa.Text(), nullable=True),
    sa.Column('declined_by', sa.String(length=10), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'matching_session_id'], ['matching_sessions.tenant_id', 'matching_sessions.id'], name=op.f('fk_duos_tenant_id_matching_session_id_matching_sessions')),
    sa.ForeignKeyConstraint(['tenant_id', 'mentee_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_duos_tenant_id_mentee_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'mentor_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_duos_tenant_id_mentor_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_duos_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_duos'))
    )
    with op.batch_alter_table('duos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duos_matching_session_id'), ['matching_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duos_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duos_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duos_state'), ['state'], unique=False)
        batch_op.create_index('uq_duos_open_mentee', ['tenant_id', 'mentee_id'], unique=True, sqlite_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"), postgresql_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"))
        batch_op.create_index('uq_duos_open_mentor', ['tenant_id', 'mentor_id'], unique=True, sqlite_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"), postgresql_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"))

    op.create_table('matching_constraints',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('mentee_id', sa.Uuid(), nullable=False),
    sa.Column('mentor_id', sa.Uuid(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_matching_constraints_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removed_by_user_id'], ['users.id'], name=op.f('fk_matching_constraints_removed_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'mentee_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_matching_constraints_tenant_id_mentee_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'mentor_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_matching_constraints_tenant_id_mentor_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'session_id'], ['matching_sessions.tenant_id', 'matching_sessions.id'], name=op.f('fk_matching_constraints_tenant_id_session_id_matching_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_matching_constraints_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_matching_constraints'))
    )
    with op.batch_alter_table('matching_constraints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_constraints_session_id'), ['session_id'], unique=False)

    op.create_table('duo_state_changes',
    sa.Column('duo_id', sa.Uuid(), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_duo_state_changes_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'duo_id'], ['duos.tenant_id', 'duos.id'], name=op.f('fk_duo_state_changes_tenant_id_duo_id_duos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_duo_state_changes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_duo_state_changes'))
    )
    with op.batch_alter_table('duo_state_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duo_state_changes_duo_id'), ['duo_id'], unique=False)

    rls.migrate_app_role(op)
    for table in TENANT_TABLES:
        rls.migrate_enable(op, table)


def downgrade():
    for table in TENANT_TABLES:
        rls.migrate_disable(op, table)
    with op.batch_alter_table('duo_state_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duo_state_changes_duo_id'))

    op.drop_table('duo_state_changes')
    with op.batch_alter_table('matching_constraints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_constraints_session_id'))

    op.drop_table('matching_constraints')
    with op.batch_alter_table('duos', schema=None) as batch_op:
        batch_op.drop_index('uq_duos_open_mentor', sqlite_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"), postgresql_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"))
        batch_op.drop_index('uq_duos_open_mentee', sqlite_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"), postgresql_where=sa.text("state IN ('proposed', 'first_meeting', 'confirmed', 'active')"))
        batch_op.drop_index(batch_op.f('ix_duos_state'))
        batch_op.drop_index(batch_op.f('ix_duos_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_duos_mentee_id'))
        batch_op.drop_index(batch_op.f('ix_duos_matching_session_id'))

    op.drop_table('duos')
    with op.batch_alter_table('matching_sessions', schema=None) as batch_op:
        batch_op.drop_index('uq_matching_sessions_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.drop_table('matching_sessions')
