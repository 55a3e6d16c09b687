"""infra/backup.sh then infra/restore.sh into a fresh database: every row comes back,
row-level security with it."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import sqlalchemy as sa

from appfactory import postgres_database
from duo.core.db import db
from duo.core.mail import queue_mail
from duo.core.settings import REPO_ROOT
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from jobs.live import live_deployment
from support import DATABASE_URL, need

pytestmark = pytest.mark.postgres


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Every public table's row count and a digest of its rows (as a superuser: all rows)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
            out = {}
            for table in sorted(tables):
                out[table] = tuple(
                    conn.execute(
                        sa.text(
                            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' "
                            f"ORDER BY t::text), '')) FROM \"{table}\" t"
                        )
                    ).one()
                )
            return out
    finally:
        engine.dispose()


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_backup_restores_into_a_fresh_database_with_every_row(tmp_path) -> None:  # noqa: ANN001
    need(bool(DATABASE_URL), "DATABASE_URL is not set: backup test skipped")
    need(bool(shutil.which("pg_dump")), "pg_dump is not installed")
    with live_deployment(tmp_path / "live") as live:
        with live.app.app_context():
            tenant_id = db.session.execute(
                sa.select(Tenant.id).where(Tenant.slug == "paris")
            ).scalar_one()
            with tenant_scope(tenant_id):
                for n in range(3):
                    queue_mail(f"p{n}@example.org", "Bonjour", "Texte")
            db.session.commit()
            db.session.remove()
        source = _plain(live.env["DATABASE_URL"])
        env = dict(os.environ, DATABASE_URL=source, BACKUP_DIR=str(tmp_path / "backups"))
        done = subprocess.run(
            [str(REPO_ROOT / "infra" / "backup.sh")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        dump = done.stdout.strip().splitlines()[-1]
        assert dump.endswith(".dump") and os.path.getsize(dump) > 0
        before = _fingerprint(source)
        assert before["outgoing_mails"][0] == 3 and before["tenants"][0] >= 10

        with postgres_database(DATABASE_URL) as fresh:
            target = _plain(fresh)
            env = dict(os.environ, DATABASE_URL=target)
            subprocess.run(
                [str(REPO_ROOT / "infra" / "restore.sh"), dump],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            assert _fingerprint(target) == before
            engine = sa.create_engine(target)
            with engine.connect() as conn:
                forced = conn.execute(
                    sa.text("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'people'")
                ).scalar_one()
            engine.dispose()
            assert forced is True
            # Never over a database that holds tables.
            again = subprocess.run(
                [str(REPO_ROOT / "infra" / "restore.sh"), dump],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert again.returncode == 1 and "refusing" in again.stderr
