"""people: intake profiles, eligibility decisions, spreadsheet import batches

Revision ID: 0002_people_profiles
Revises: 0001_foundation
Create Date: 2026-11-23 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import duo.core.db.types
from duo.core.tenancy import rls

revision = '0002_people_profiles'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

TENANT_TABLES = ("person_profiles", "eligibility_decisions", "people_import_batches")


def upgrade():
    op.create_table('person_profiles',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('postcode', sa.String(length=16), nullable=True),
    sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('availability', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('interests', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('digital_skills', sa.Integer(), nullable=True),
    sa.Column('personality', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('help_questions', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sectors', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('occupations', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('years_experience', sa.Integer(), nullable=True),
    sa.Column('working_status', sa.String(length=20), nullable=True),
    sa.Column('volunteer', sa.Boolean(), nullable=True),
    sa.Column('available_six_months', sa.Boolean(), nullable=True),
    sa.Column('target_sector', sa.String(length=30), nullable=True),
    sa.Column('professional_goal', sa.Text(), nullable=True),
    sa.Column('education_level', sa.String(length=30), nullable=True),
    sa.Column('seeking_job_study_or_internship', sa.Boolean(), nullable=True),
    sa.Column('registered_jobseeker', sa.Boolean(), nullable=True),
    sa.Column('other_barriers', sa.Boolean(), nullable=True),
    sa.Column('migration_background', sa.String(length=40), nullable=True),
    sa.Column('allowed_to_work', sa.Boolean(), nullable=True),
    sa.Column('intake_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('intake_by_user_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['intake_by_user_id'], ['users.id'], name=op.f('fk_person_profiles_intake_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_person_profiles_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_person_profiles_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_person_profiles')),
    sa.UniqueConstraint('tenant_id', 'person_id', name=op.f('uq_person_profiles_tenant_id_person_id'))
    )
    op.create_table('eligibility_decisions',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('evaluated_outcome', sa.String(length=20), nullable=False),
    sa.Column('evaluation', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('rules_hash', sa.String(length=64), nullable=False),
    sa.Column('justification', sa.Text(), nullable=True),
    sa.Column('decided_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_user_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_user_id'], ['users.id'], name=op.f('fk_eligibility_decisions_decided_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_eligibility_decisions_tenant_id_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_eligibility_decisions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_eligibility_decisions'))
    )
    with op.batch_alter_table('eligibility_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_eligibility_decisions_person', ['tenant_id', 'person_id', 'decided_at'], unique=False)

    op.create_table('people_import_batches',
    sa.Column('created_by_user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('columns', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('ignored_columns', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('rows', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('imported_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('created_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', duo.core.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_people_import_batches_created_by_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_people_import_batches_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_people_import_batches'))
    )

    rls.migrate_app_role(op)
    for table in TENANT_TABLES:
        rls.migrate_enable(op, table)


def downgrade():
    for table in TENANT_TABLES:
        rls.migrate_disable(op, table)
    op.drop_table('people_import_batches')
    with op.batch_alter_table('eligibility_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_eligibility_decisions_person')

    op.drop_table('eligibility_decisions')
    op.drop_table('person_profiles')
