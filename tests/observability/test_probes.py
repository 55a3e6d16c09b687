"""``/healthz``, ``/readyz`` (503 naming the failing part, never a 500) and ``/metrics``
(only from the allowed networks, no personal data), and the JSON request log."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import text

from appfactory import build_app, make_settings
from duo.core.db import utcnow
from duo.core.jobs import enqueue, job, register_jobs
from duo.core.mail import queue_mail
from duo.core.observability.logs import JsonFormatter
from duo.core.tenancy.context import tenant_scope


@job("test.noop")
def noop() -> None:
    pass


register_jobs([noop])  # described above; a test has no plugin.py


def test_healthz_answers_while_the_process_lives(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_readyz_reports_every_part(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "migrations", "outbox"}  # no Redis configured
    assert body["checks"]["migrations"]["database"] == body["checks"]["migrations"]["code"]


def test_readyz_names_a_schema_behind_the_code(db, client) -> None:
    db.session.execute(text("UPDATE alembic_version SET version_num = '0006_merge_capabilities'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["migrations"]


def test_readyz_names_an_outbox_that_does_not_move(db, client) -> None:
    enqueue("test.noop", tenant_id=None, run_after=utcnow() - timedelta(hours=2))
    db.session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"]["oldest_due_seconds"] >= 7200 - 60


def test_readyz_names_redis_when_it_is_down(app, client, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "DUO_REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["redis"]


def test_readyz_names_the_database_when_it_is_gone(tmp_path) -> None:
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}")
    app = build_app(settings)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["database"]
    assert app.test_client().get("/healthz").status_code == 200


def test_metrics_from_this_machine(db, client, tenants) -> None:
    with tenant_scope(tenants["lyon"].id):
        queue_mail("amina.secret@example.org", "Bienvenue Amina", "Bonjour")
    db.session.flush()
    client.get("/healthz")
    client.get("/lyon/outbox/00000000-0000-0000-0000-000000000000?email=x@example.org")
    response = client.get("/metrics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for name in (
        "duo_http_requests_total",
        "duo_http_request_duration_seconds_bucket",
        "duo_outbox_jobs",
        "duo_outbox_oldest_due_seconds",
        "duo_mails_failed",
    ):
        assert name in body, name
    assert 'route="/healthz",status="200"' in body
    assert 'route="/<tenant>/outbox/<uuid:mail_id>"' in body  # the template, not the path
    assert "amina" not in body.lower() and "example.org" not in body
    assert 'duo_outbox_jobs{status="pending"}' in body


def test_metrics_are_refused_outside_the_allowed_networks(app, client, monkeypatch) -> None:
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", environ_base=outside).status_code == 404
    monkeypatch.setitem(app.config, "DUO_METRICS_ALLOW", "10.0.0.0/8, 203.0.113.0/24")
    assert client.get("/metrics", environ_base=outside).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed


@pytest.mark.parametrize("header", ["abc", "x" * 100, "bad id with spaces"])
def test_a_strange_request_id_is_replaced(client, header) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": header})
    assert response.headers["X-Request-ID"] != header
    assert len(response.headers["X-Request-ID"]) == 32


def test_json_request_log_has_no_personal_data(app, client, monkeypatch, caplog) -> None:
    monkeypatch.setitem(app.config, "DUO_LOG_JSON", True)
    with caplog.at_level(logging.INFO, logger="duo.request"):
        response = client.get(
            "/brussels/join?email=amina.secret@example.org",
            headers={"X-Request-ID": "req-1234567890"},
        )
    assert response.headers["X-Request-ID"] == "req-1234567890"
    (record,) = [r for r in caplog.records if r.name == "duo.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO" and line["timestamp"].endswith("+00:00")
    assert line["request_id"] == "req-1234567890"
    assert line["route"] == "/<tenant>/join" and line["status"] == response.status_code
    assert line["method"] == "GET" and line["duration_ms"] >= 0
    assert "amina" not in json.dumps(line) and "?" not in line["route"]
