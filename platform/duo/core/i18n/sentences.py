"""Sentences the platform stores (a history's "why") and shows in the *reader's* language.

A sentence written at the moment of a change would freeze the writer's language and
format: a French coordinator would read "Signed up for an information session." or a date
as "2026-12-01 21:00". So the platform stores a code and its parameters, language-neutral:

    duo:<code>                      a plain sentence
    duo:<code> {"date": "dt:..."}   with parameters (JSON; moments as "dt:<ISO UTC>")
    ...\\n<detail>                   followed by words a person typed, kept verbatim

and :func:`render` turns it into the reader's language at reading time, formatting every
moment with :mod:`duo.core.i18n.formatting` (locale, country, zone of the reader's page).
Capabilities register their sentences with :func:`register` at import time (the msgid is a
lazy gettext string with ``%(name)s`` placeholders), so the core names no capability.
Text that does not start with the prefix is a person's own words and is shown as typed.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime
from typing import Any

from duo.core.i18n.formatting import format_date, format_datetime

PREFIX = "duo:"
_MOMENT = "dt:"
_DAY = "d:"

_registry: dict[str, Any] = {}
#: Sentences stored as plain English before codes existed, mapped to their code.
_legacy: dict[str, str] = {}


def register(code: str, message: Any, *, legacy: tuple[str, ...] = ()) -> str:
    """Declare that ``code`` reads ``message`` (lazy gettext); returns the code."""
    _registry[code] = message
    for text in legacy:
        _legacy[text] = code
    return code


def is_registered(code: str) -> bool:
    return code in _registry


def _encode_value(value: object) -> object:
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return _MOMENT + moment.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return _DAY + value.isoformat()
    return value


def encode(code: str, detail: str | None = None, **params: object) -> str:
    """The stored form of sentence ``code`` with ``params`` and a person's ``detail``."""
    text = f"{PREFIX}{code}"
    if params:
        encoded = {k: _encode_value(v) for k, v in sorted(params.items())}
        text += " " + json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))
    detail = (detail or "").strip()
    return f"{text}\n{detail}" if detail else text


def decode(stored: str) -> tuple[str, dict[str, object], str | None] | None:
    """(code, params, detail) of a stored sentence, or None for a person's own words."""
    if stored in _legacy:
        return _legacy[stored], {}, None
    if not stored.startswith(PREFIX):
        return None
    head, _, detail = stored.partition("\n")
    code, _, raw = head[len(PREFIX) :].partition(" ")
    params: dict[str, object] = {}
    if raw:
        try:
            loaded = json.loads(raw)
        except ValueError:
            loaded = {}
        params = loaded if isinstance(loaded, dict) else {}
    return code, params, (detail or None)


def _shown(value: object) -> object:
    if isinstance(value, str) and value.startswith(_MOMENT):
        try:
            return format_datetime(datetime.fromisoformat(value[len(_MOMENT) :]), "medium")
        except ValueError:
            return value
    if isinstance(value, str) and value.startswith(_DAY):
        try:
            return format_date(date.fromisoformat(value[len(_DAY) :]), "medium")
        except ValueError:
            return value
    return value


def render(stored: str | None) -> tuple[str | None, str | None]:
    """(sentence in the reader's language, verbatim detail) of a stored text.

    A person's own words come back as the detail, untouched. An unknown code is shown as
    the code (a sentence of a capability that was removed) rather than hidden.
    """
    if not stored:
        return None, None
    decoded = decode(stored)
    if decoded is None:
        return None, stored
    code, params, detail = decoded
    message = _registry.get(code)
    if message is None:
        return code, detail
    text = str(message)
    if params:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            text = text % {k: _shown(v) for k, v in params.items()}
    return text, detail
