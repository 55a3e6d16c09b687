"""The duos list's rows as the page shows them: plain columns, every word worked out once.

Fifty duos, each loaded as three ORM objects (the duo and both people) and each link a
``url_for``, were most of the list's time at the size of a large branch. The list shows
eight values a row: they are read as columns, and the link is one URL with the duo's id put
in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from duo.core.db import db
from duo.core.i18n import formatting, translated
from duo.core.urls import row_link
from duo.duos import states
from duo.duos.models import Duo
from duo.people.models import Person


@dataclass(frozen=True)
class ListedDuo:
    id: uuid.UUID
    url: str
    mentee: str
    mentor: str
    state: str
    next_step: str
    since: str


#: The two people of a duo, aliased once: an alias made per request copied every column
#: of Person and looked each one up again (about 2 ms of the duos list).
_MENTEE, _MENTOR = aliased(Person, name="mentee"), aliased(Person, name="mentor")


def with_people(*conditions: Any, columns: Callable[[Any, Any], tuple] | None = None) -> Select:
    """The duos meeting ``conditions`` joined to both their people: the list's and the
    export's one join. ``columns(mentee, mentor)`` picks what is read; by default the duo
    and both people as objects."""
    mentee, mentor = _MENTEE, _MENTOR
    picked = columns(mentee, mentor) if columns else (Duo, mentee, mentor)
    return (
        select(*picked)
        .join(mentee, (mentee.tenant_id == Duo.tenant_id) & (mentee.id == Duo.mentee_id))
        .join(mentor, (mentor.tenant_id == Duo.tenant_id) & (mentor.id == Duo.mentor_id))
        .where(*conditions)
    )


def _shown(mentee: Any, mentor: Any) -> tuple:
    """What a row of the list shows: eight columns, not three objects."""
    return (
        Duo.id,
        Duo.state,
        Duo.ends_on,
        Duo.state_changed_at,
        mentee.first_name,
        mentee.last_name,
        mentor.first_name,
        mentor.last_name,
    )


def listed_duos(condition, order) -> list[ListedDuo]:
    """The duos meeting ``condition`` (one page of them), in ``order``, as the list shows them."""
    link = row_link("duos.detail", "duo_id")
    locale, zone = formatting.page_locale_and_zone()
    labels, next_steps = translated(states.LABELS), translated(states.NEXT_STEP)

    def day(value) -> str:
        return formatting.format_date(value, locale=locale, zone=zone)

    rows = []
    for duo_id, state, ends_on, since, e_first, e_last, o_first, o_last in db.session.execute(
        with_people(condition, columns=_shown).order_by(*order)
    ):
        if state == states.ACTIVE and ends_on:
            following = _("accompaniment until %(day)s", day=day(ends_on))
        else:
            following = next_steps[state]
        rows.append(
            ListedDuo(
                id=duo_id,
                url=link(duo_id),
                mentee=f"{e_first} {e_last}",
                mentor=f"{o_first} {o_last}",
                state=labels[state],
                next_step=following,
                since=day(since),
            )
        )
    return rows
