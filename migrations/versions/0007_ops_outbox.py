"""Ops: outbox claims (RQ job id, claim count), mails keyed by the job that wrote them and
their delivery errors; calendar feed tokens unique within their branch (Citus-ready).
"""

import sqlalchemy as sa
from alembic import op

from duo.core.db.types import UTCDateTime

revision = "0007_ops_outbox"
down_revision = "0006_merge_capabilities"


def upgrade():
    with op.batch_alter_table("outbox_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claims", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("rq_job_id", sa.String(length=100)))
        batch_op.add_column(sa.Column("claimed_at", UTCDateTime()))
    with op.batch_alter_table("outbox_jobs", schema=None) as batch_op:
        batch_op.alter_column("claims", server_default=None)

    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effect_key", sa.String(length=100)))
        batch_op.add_column(
            sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("last_error", sa.String(length=500)))
        batch_op.add_column(sa.Column("next_attempt_at", UTCDateTime()))
        batch_op.create_unique_constraint(
            batch_op.f("uq_outgoing_mails_tenant_id_effect_key"), ["tenant_id", "effect_key"]
        )
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.alter_column("failed_attempts", server_default=None)

    with op.batch_alter_table("training_feed_tokens", schema=None) as batch_op:
        batch_op.drop_constraint("uq_training_feed_tokens_token_hash", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_training_feed_tokens_tenant_id_token_hash"), ["tenant_id", "token_hash"]
        )


def downgrade():
    with op.batch_alter_table("training_feed_tokens", schema=None) as batch_op:
        batch_op.drop_constraint("uq_training_feed_tokens_tenant_id_token_hash", type_="unique")
        batch_op.create_unique_constraint("uq_training_feed_tokens_token_hash", ["token_hash"])
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.drop_constraint("uq_outgoing_mails_tenant_id_effect_key", type_="unique")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("failed_attempts")
        batch_op.drop_column("effect_key")
    with op.batch_alter_table("outbox_jobs", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("rq_job_id")
        batch_op.drop_column("claims")
