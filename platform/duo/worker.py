"""What an RQ worker calls: open the app once per process, then execute the outbox row.

An entry point beside ``cli`` and ``wsgi``: it builds the application, so it sits above
everything else (the outbox in :mod:`duo.core.jobs` only names it, as a string, when it
hands a row to RQ).
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context

from duo.app import create_app
from duo.core.jobs.outbox import execute

_app: Flask | None = None


def _application() -> Flask:
    global _app
    if _app is None:
        _app = create_app()
    return _app


def run_outbox_job(outbox_id: int) -> str:
    if has_app_context():
        return execute(outbox_id) if current_app else "skipped"
    with _application().app_context():
        return execute(outbox_id)
