"""The training blueprint and what its pages share (its menu entry is in ``training/plugin.py``).

Helpers here read the current branch (``g.tenant``): the page locale with its fallbacks,
a row of the branch or 404, a training item's title, and putting a domain problem on
the form field it concerns.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, g, render_template
from flask_babel import format_decimal, get_locale
from sqlalchemy import select

from duo.core.db import db
from duo.people import states
from duo.training import curriculum

bp = Blueprint(
    "training",
    __name__,
    url_prefix="/<tenant>/training",
    template_folder="../templates",
)


def page_locale() -> str:
    return str(get_locale() or g.tenant.default_locale)


def fallbacks() -> tuple[str, ...]:
    return tuple(g.tenant.locales)


def one(model: Any, object_id: uuid.UUID) -> Any:
    """A row of the current branch, or 404 (the ORM filter hides other branches' rows)."""
    row = db.session.execute(select(model).where(model.id == object_id)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def title_of(key: str | None, fallback: str = "") -> str:
    """The title of a module or workshop of the branch's curriculum, in the page locale."""
    item = curriculum.items(g.tenant.config).get(key or "")
    return item.title(page_locale(), fallbacks()) if item else fallback


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(ZoneInfo(g.tenant.timezone))


def form_errors_400(template: str, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), 400


def put_on_fields(
    problems: Iterable[Any],
    fields: Mapping[str, Any],
    default: Any = None,
    *,
    name: Callable[[Any], str] = lambda problem: problem.field or "",
) -> list[str]:
    """Put each problem's message on its form field (or on ``default``).

    Returns the messages of the problems that have no field to go to, for the page.
    """
    general = []
    for problem in problems:
        target = fields.get(name(problem), default)
        if target is not None:
            target.errors = [*target.errors, problem.message]
        else:
            general.append(problem.message)
    return general


@bp.app_template_filter("training_item")
def _training_item_filter(key: str | None, fallback: str = "") -> str:
    return title_of(key, fallback)


@bp.app_template_filter("training_hours")
def _hours_filter(minutes: int) -> str:
    return format_decimal((minutes or 0) / 60, format="#,##0.#")


@bp.app_template_filter("training_isodate")
def _isodate_filter(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@bp.app_template_global("training_state_label")
def _state_label(state: str) -> str:
    return str(states.LABELS.get(state, state))
