"""training: cycles, sessions, enrolments, attendance, calendar feed tokens

Revision ID: 0004_training
Revises: 0001_foundation
Create Date: 2026-11-23 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import duo.core.db.types
from duo.core.tenancy import rls

revision = '0004_training'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "training_cycles",
    "training_sessions",
    "training_enrolments",
    "training_attendance",
    "training_feed_tokens",
)


def upgrade():
    op.create_table('training_cycles',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('workshop_key', sa.String(length=100), nullable=True),
    sa.Column('module_keys', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('weekdays', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('every_weeks', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('skipped', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_training_cycles_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_training_cycles_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_training_cycles'))
    )
    op.create_table('training_feed_tokens',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('created_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('last_used_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_training_feed_tokens_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_training_feed_tokens_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_training_feed_tokens_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_training_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_training_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('training_feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_feed_tokens_person_id'), ['person_id'], unique=False)

    op.create_table('training_sessions',
    sa.Column('cycle_id', sa.Uuid(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=True),
    sa.Column('starts_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('cancelled_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('moved_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance_recorded_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'cycle_id'], ['training_cycles.tenant_id', 'training_cycles.id'], name=op.f('fk_training_sessions_tenant_id_cycle_id_training_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_training_sessions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('ix_training_sessions_starts_at', ['tenant_id', 'starts_at'], unique=False)

    op.create_table('training_attendance',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'], name=op.f('fk_training_attendance_recorded_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_training_attendance_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'session_id'], ['training_sessions.tenant_id', 'training_sessions.id'], name=op.f('fk_training_attendance_tenant_id_session_id_training_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_training_attendance_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_training_attendance')),
    sa.UniqueConstraint('tenant_id', 'session_id', 'person_id', name=op.f('uq_training_attendance_tenant_id_session_id_person_id'))
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendance_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('training_enrolments',
    sa.Column('cycle_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enrolled_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_training_enrolments_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'cycle_id'], ['training_cycles.tenant_id', 'training_cycles.id'], name=op.f('fk_training_enrolments_tenant_id_cycle_id_training_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_training_enrolments_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'session_id'], ['training_sessions.tenant_id', 'training_sessions.id'], name=op.f('fk_training_enrolments_tenant_id_session_id_training_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_training_enrolments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_training_enrolments')),
    sa.UniqueConstraint('tenant_id', 'cycle_id', 'person_id', 'scope', name=op.f('uq_training_enrolments_tenant_id_cycle_id_person_id_scope'))
    )
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_enrolments_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolments_person_id'), ['person_id'], unique=False)

    rls.migrate_app_role(op)
    for table in TENANT_TABLES:
        rls.migrate_enable(op, table)


def downgrade():
    for table in TENANT_TABLES:
        rls.migrate_disable(op, table)
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_enrolments_person_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolments_cycle_id'))

    op.drop_table('training_enrolments')
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_person_id'))

    op.drop_table('training_attendance')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_training_sessions_starts_at')
        batch_op.drop_index(batch_op.f('ix_training_sessions_cycle_id'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('training_feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_feed_tokens_person_id'))

    op.drop_table('training_feed_tokens')
    op.drop_table('training_cycles')
