"""Planner statistics after bulk writes on PostgreSQL (migrations, ``duo setup``, imports)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from duo.core.db.maintenance import analyze


def _reltuples(owner_url: str, table: str) -> float:
    engine = sa.create_engine(owner_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}
            ).scalar_one()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_migrations_leave_statistics_and_analyze_refreshes_them(tmp_path) -> None:  # noqa: ANN001
    from jobs.live import live_deployment
    from support import DATABASE_URL, need

    need(bool(DATABASE_URL), "DATABASE_URL is not set")
    with live_deployment(tmp_path) as live:
        owner = live.env["DATABASE_URL"]
        # -1 means "never analyzed" (PostgreSQL 14+); migrations end with ANALYZE.
        assert _reltuples(owner, "outbox_jobs") >= 0
        with live.app.app_context():
            assert analyze(["tenants"]) is True
            assert _reltuples(owner, "tenants") >= 10  # the ten branches synced after migrating
            with pytest.raises(ValueError):
                analyze(["tenants; DROP TABLE people"])


def test_analyze_is_a_no_op_on_sqlite(app) -> None:  # noqa: ANN001
    from support import DATABASE_URL

    if DATABASE_URL:
        pytest.skip("SQLite only")
    with app.app_context():
        assert analyze(["tenants"]) is False
