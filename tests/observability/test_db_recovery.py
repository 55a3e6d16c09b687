"""PostgreSQL drops every connection of the app (a restart, a failover, an idle-timeout
proxy): the next requests reconnect by themselves (``pool_pre_ping``), no visitor sees 5xx."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from duo.core.db import db
from jobs.live import live_deployment

pytestmark = pytest.mark.postgres


def _terminate_all(owner_url: str) -> int:
    engine = sa.create_engine(owner_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return len(
                conn.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
    finally:
        engine.dispose()


def test_the_app_recovers_from_lost_connections_without_5xx(tmp_path) -> None:  # noqa: ANN001
    from support import DATABASE_URL, need

    need(bool(DATABASE_URL), "DATABASE_URL is not set: PostgreSQL recovery test skipped")
    with live_deployment(tmp_path) as live:
        client = live.app.test_client()
        pages = ["/readyz", "/brussels/join", "/", "/api/v1/brussels/sessions"]

        def round_() -> list[int]:
            return [client.get(page).status_code for page in pages]

        before = round_()
        assert all(code < 500 for code in before), before
        assert _terminate_all(live.env["DATABASE_URL"]) >= 1
        after = [code for _ in range(3) for code in round_()]
        assert all(code < 500 for code in after), after
        assert after[: len(pages)] == before
        with live.app.app_context():
            assert db.session.execute(sa.text("SELECT 1")).scalar_one() == 1
