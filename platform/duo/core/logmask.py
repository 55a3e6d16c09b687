"""Secrets and search terms never reach the access log.

A personal link's token is the person's key, a reset link's token is an account's, and a
search term is often a person's name: the request lines that the development server
(``werkzeug``) and gunicorn (``gunicorn.access``) log are rewritten with those parts
replaced by ``***``. The filter is attached when the app is created.
"""

from __future__ import annotations

import logging
import re
from typing import Any

#: Path segments that follow one of these are secrets.
_SECRET_AFTER = re.compile(
    r"(/(?:registration|reset|links?|l|calendar|feeds?)/)([^/?#\s]+)", re.IGNORECASE
)
#: A token-shaped last segment of a feed (``.../<token>.ics``).
_ICS = re.compile(r"/([A-Za-z0-9_-]{16,})(\.ics)\b")
#: Query parameters whose values are masked.
_QUERY = re.compile(r"([?&](?:q|token|search|email|name)=)([^&#\s]*)", re.IGNORECASE)
MASK = "***"


def mask(text: str) -> str:
    text = _SECRET_AFTER.sub(lambda m: m.group(1) + MASK, text)
    text = _ICS.sub(lambda m: "/" + MASK + m.group(2), text)
    return _QUERY.sub(lambda m: m.group(1) + MASK, text)


def _masked(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


class MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, dict):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked(v) for v in record.args)
        return True


LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
