"""``/healthz``, ``/readyz`` and ``/metrics``, and the per-request metrics and log line.

All three are ``public`` in the access sense (probes and Prometheus carry no login);
``/metrics`` is further limited to the networks listed in ``DUO_METRICS_ALLOW``
(default: this machine only), others get 404 as for a page that does not exist. The
addresses are the client's as the proxy reports it (``duo.wsgi`` trusts X-Forwarded-For
for ``DUO_PROXY_HOPS``), so a scrape through the public proxy is refused.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time

from flask import Blueprint, Response, abort, current_app, g, jsonify, request

from duo.core.auth.access import public
from duo.core.observability import checks, metrics
from duo.core.observability.logs import configure_json_logging, request_id_from

bp = Blueprint("observability", __name__)

log = logging.getLogger("duo.request")

DEFAULT_METRICS_ALLOW = "127.0.0.1/32,::1/128"


def _networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(part.strip(), strict=False)
        for part in value.split(",")
        if part.strip()
    ]


def metrics_allowed(remote: str | None) -> bool:
    allow = current_app.config.get("DUO_METRICS_ALLOW") or DEFAULT_METRICS_ALLOW
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    return any(address in network for network in _networks(allow))


@bp.record_once
def _configure(state) -> None:  # noqa: ANN001
    app = state.app
    app.config.setdefault("DUO_METRICS_ALLOW", os.environ.get("DUO_METRICS_ALLOW") or "")
    app.config.setdefault(
        "DUO_READY_OUTBOX_MAX_AGE", float(os.environ.get("DUO_READY_OUTBOX_MAX_AGE") or 1800)
    )
    json_logs = os.environ.get("DUO_LOG_JSON", "").lower() in {"1", "true", "yes", "on"}
    app.config.setdefault("DUO_LOG_JSON", json_logs)
    _networks(app.config["DUO_METRICS_ALLOW"] or DEFAULT_METRICS_ALLOW)  # fail at start-up
    if app.config["DUO_LOG_JSON"]:
        configure_json_logging()


@bp.before_app_request
def _start() -> None:
    g.request_id = request_id_from(request.headers.get("X-Request-ID"))
    g.request_started = time.perf_counter()


@bp.after_app_request
def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    metrics.request_finished(route, response.status_code, seconds)
    response.headers.setdefault("X-Request-ID", g.request_id)
    if current_app.config.get("DUO_LOG_JSON"):
        log.info(
            "request",
            extra={
                "request_id": g.request_id,
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
    return response


@bp.route("/healthz")
@public
def healthz() -> Response:
    """The process answers: nothing else is checked (a liveness probe restarts it)."""
    g.duo_no_dispatch = True
    return Response("ok", mimetype="text/plain")


@bp.route("/readyz")
@public
def readyz():  # noqa: ANN201
    """Ready to serve: database, schema at head, Redis if configured, outbox not stuck."""
    g.duo_no_dispatch = True
    results = checks.readiness()
    failing = [c.name for c in results if not c.ok]
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": {c.name: {"ok": c.ok, **c.detail} for c in results},
    }
    response = jsonify(body)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/metrics")
@public
def prometheus() -> Response:
    g.duo_no_dispatch = True
    if not metrics_allowed(request.remote_addr):
        abort(404)
    data, content_type = metrics.exposition(current_app._get_current_object())
    return Response(data, content_type=content_type)
