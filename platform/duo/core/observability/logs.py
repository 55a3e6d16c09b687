"""Structured logs: one JSON object a line, with the request id, and a line per request.

On when ``DUO_LOG_JSON`` is true (production, set in ``infra/``). Each request line holds
the method, the route *template* (``/<tenant>/outbox/<uuid:mail_id>``, never the path
with its ids or tokens, never the query string), the status and the duration; no name,
no e-mail address, no IP address. The request id comes from the proxy's ``X-Request-ID``
when it looks like one, else it is made here, and is sent back in the response.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_from(header: str | None) -> str:
    if header and _REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """timestamp, level, logger, message, request id, and the request fields if any."""

    FIELDS = ("request_id", "method", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            # The record's own creation time: the wall clock, not the app's (moved) clock.
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Replace the root handlers with one JSON handler on stderr (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_duo_json", False):
            return
    handler = logging.StreamHandler()
    handler._duo_json = True
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.handlers = [handler]
    root.setLevel(level)
