"""information sessions, their registrations, and the branch's outbox of e-mails

Revision ID: 0003_info_sessions
Revises: 0001_foundation
Create Date: 2026-11-23 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import duo.core.db.types
from duo.core.tenancy import rls

revision = '0003_info_sessions'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

TENANT_TABLES = ("info_sessions", "info_session_registrations", "outgoing_mails")


def upgrade():
    op.create_table('info_sessions',
    sa.Column('starts_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('attendance_recorded_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_info_sessions_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_info_sessions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_info_sessions'))
    )
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_info_sessions_tenant_starts', ['tenant_id', 'starts_at'], unique=False)

    op.create_table('info_session_registrations',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('heard_from', sa.String(length=30), nullable=True),
    sa.Column('registered_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('promoted_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_info_session_registrations_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'session_id'], ['info_sessions.tenant_id', 'info_sessions.id'], name=op.f('fk_info_session_registrations_tenant_id_session_id_info_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_info_session_registrations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_info_session_registrations')),
    sa.UniqueConstraint('tenant_id', 'session_id', 'person_id', name=op.f('uq_info_session_registrations_tenant_id_session_id_person_id'))
    )
    with op.batch_alter_table('info_session_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_session_registrations_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_info_session_registrations_session', ['tenant_id', 'session_id', 'status'], unique=False)

    op.create_table('outgoing_mails',
    sa.Column('kind', sa.String(length=60), nullable=True),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('attachments', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_outgoing_mails_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outgoing_mails_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_outgoing_mails'))
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mails_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_outgoing_mails_tenant_created', ['tenant_id', 'created_at'], unique=False)


    rls.migrate_app_role(op)
    for table in TENANT_TABLES:
        rls.migrate_enable(op, table)


def downgrade():
    for table in TENANT_TABLES:
        rls.migrate_disable(op, table)
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mails_tenant_created')
        batch_op.drop_index(batch_op.f('ix_outgoing_mails_person_id'))

    op.drop_table('outgoing_mails')
    with op.batch_alter_table('info_session_registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_info_session_registrations_session')
        batch_op.drop_index(batch_op.f('ix_info_session_registrations_person_id'))

    op.drop_table('info_session_registrations')
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_info_sessions_tenant_starts')

    op.drop_table('info_sessions')
