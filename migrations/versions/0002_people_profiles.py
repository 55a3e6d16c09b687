"""People: intake profiles, eligibility decisions, spreadsheet import batches."""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy import migration_ops as ops
from duo.core.tenancy import rls

revision = "0002_people_profiles"
down_revision = "0001_foundation"


def upgrade():
    ops.create_branch_table(
        "person_profiles",
        ops.person_ref(),
        sa.Column("postcode", sa.String(length=16)),
        sa.Column("languages", JSONType, nullable=False),
        sa.Column("availability", JSONType, nullable=False),
        sa.Column("interests", JSONType, nullable=False),
        sa.Column("digital_skills", sa.Integer()),
        sa.Column("personality", JSONType, nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("help_questions", JSONType, nullable=False),
        sa.Column("birth_date", sa.Date()),
        sa.Column("sectors", JSONType, nullable=False),
        sa.Column("occupations", JSONType, nullable=False),
        sa.Column("years_experience", sa.Integer()),
        sa.Column("working_status", sa.String(length=20)),
        sa.Column("volunteer", sa.Boolean()),
        sa.Column("available_six_months", sa.Boolean()),
        sa.Column("target_sector", sa.String(length=30)),
        sa.Column("professional_goal", sa.Text()),
        sa.Column("education_level", sa.String(length=30)),
        sa.Column("seeking_job_study_or_internship", sa.Boolean()),
        sa.Column("registered_jobseeker", sa.Boolean()),
        sa.Column("other_barriers", sa.Boolean()),
        sa.Column("migration_background", sa.String(length=40)),
        sa.Column("allowed_to_work", sa.Boolean()),
        sa.Column("intake_at", UTCDateTime()),
        ops.user_ref("intake_by_user_id"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        unique_together=[("tenant_id", "person_id")],
    )
    ops.create_branch_table(
        "eligibility_decisions",
        ops.person_ref(),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("evaluated_outcome", sa.String(length=20), nullable=False),
        sa.Column("evaluation", JSONType, nullable=False),
        sa.Column("rules_hash", sa.String(length=64), nullable=False),
        sa.Column("justification", sa.Text()),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        ops.user_ref("decided_by_user_id"),
        named_indexes={"ix_eligibility_decisions_person": ["tenant_id", "person_id", "decided_at"]},
    )
    ops.create_branch_table(
        "people_import_batches",
        ops.user_ref("created_by_user_id", nullable=False, ondelete="CASCADE"),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("columns", JSONType, nullable=False),
        sa.Column("ignored_columns", JSONType, nullable=False),
        sa.Column("rows", JSONType, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("imported_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    rls.migrate_app_role(op)


def downgrade():
    ops.drop_tables("people_import_batches", "eligibility_decisions", "person_profiles")
