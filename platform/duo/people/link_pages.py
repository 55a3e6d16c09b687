"""Pages a person opens through their personal link: the token check every path starts with.

The "my duo", "my intake", privacy and evaluation pages all answer a bad link the same way,
so that a person cannot tell a wrong token from another branch's: a wrong one gets a 404
page, an expired, revoked or used one a 410 page naming why, in the person's language,
and neither changes anything. Each step keeps its own wording of that page (its template).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from duo.core import links
from duo.core.db import db
from duo.core.i18n import reader_locale
from duo.core.links.models import PersonalLink
from duo.people.models import Person

#: The page of a link that does not work, as a view returns it: (HTML, status).
Invalid = tuple[str, int]
T = TypeVar("T")


def render_for(template: str, reader: Person | None, status: int = 200, **context: Any):
    """``template`` in the reader's language (a bad link's page has no reader: the branch's)."""
    with force_locale(reader_locale(reader)):
        return render_template(template, **context), status


@dataclass(frozen=True)
class Opened:
    """A valid link, the person it belongs to and what ``load`` found for its object."""

    link: PersonalLink
    person: Person
    target: Any


def open_link(
    token: str,
    purpose: str,
    invalid: str,
    *,
    object_type: str | None = None,
    load: Callable[[PersonalLink], Any] | None = None,
) -> Opened | Invalid:
    """The link behind ``token``, or its ``invalid`` page (404 wrong, 410 with the reason).

    A link whose object (``load``) is gone is wrong, whatever its state.
    """
    found = links.lookup(token, purposes=(purpose,))
    link = found.link
    if link is None or (object_type is not None and link.object_type != object_type):
        return render_for(invalid, None, 404, reason=links.WRONG)
    person = db.session.execute(
        select(Person).where(Person.id == link.person_id)
    ).scalar_one_or_none()
    target = load(link) if load is not None and person is not None else None
    if person is None or (load is not None and target is None):
        return render_for(invalid, None, 404, reason=links.WRONG)
    if not found.ok:
        return render_for(invalid, person, 410, reason=found.status)
    return Opened(link, person, target)


def opens_link(open_: Callable[[str], T | Invalid]) -> Callable[[Callable[..., Any]], Any]:
    """The view is called with what ``open_`` made of its ``token``, then the token itself;
    a link that does not work answers with ``open_``'s page and the view does not run."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(token: str, **kwargs: Any) -> Any:
            opened = open_(token)
            if isinstance(opened, tuple):
                return opened
            return view(opened, token, **kwargs)

        return wrapper

    return decorate
