"""What an RQ worker calls: open the app once per process, then execute the outbox row."""

from __future__ import annotations

from flask import Flask

_app: Flask | None = None


def _application() -> Flask:
    global _app
    if _app is None:
        from duo.app import create_app

        _app = create_app()
    return _app


def run_outbox_job(outbox_id: int) -> str:
    from flask import current_app, has_app_context

    from duo.core.jobs.outbox import execute

    if has_app_context():
        return execute(outbox_id) if current_app else "skipped"
    with _application().app_context():
        return execute(outbox_id)
