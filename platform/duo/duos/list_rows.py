"""The duos list's rows as the page shows them: plain columns, every word worked out once.

Fifty duos, each loaded as three ORM objects (the duo and both people) and each link a
``url_for``, were most of the list's time at the size of a large branch. The list shows
eight values a row: they are read as columns, and the link is one URL with the duo's id put
in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, false, select, union_all
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


def page_cut(counts: Mapping[str, int], offset: int, limit: int) -> list[tuple[str, int, int]]:
    """Which duos of each state a page of the list holds, as (state, skip, take), the states
    in the method's order.

    The list is sorted by state in that order, then by how long each duo has waited; the
    counts per state, read for the filters anyway, say where each state's duos begin."""
    cut = []
    start = 0
    for state in states.STATES:
        held = counts.get(state, 0)
        first, last = max(offset, start), min(offset + limit, start + held)
        if first < last:
            cut.append((state, first - start, last - first))
        start += held
    return cut


def on_page(counts: Mapping[str, int], offset: int, limit: int) -> ColumnElement[bool]:
    """The duos of one page of the list (no other filter than a state, whose counts alone are
    given), each state's share read in order from ``ix_duos_tenant_state_since``.

    Sorting every duo of a large branch by the method's order of states, to keep fifty, was
    the list's slowest statement (1.6 ms of its 8 at 2,600 duos) and grew with the branch;
    each state's share is read from the index already in order, however many duos there are.
    """
    shares = [
        select(Duo.id)
        .where(Duo.state == state)
        .order_by(Duo.state_changed_at, Duo.id)
        .limit(take)
        .offset(skip)
        for state, skip, take in page_cut(counts, offset, limit)
    ]
    if not shares:
        return false()
    if len(shares) == 1:
        return Duo.id.in_(shares[0].scalar_subquery())
    # One list of ids, looked up by primary key (an IN per state joined by OR leaves the
    # planner a condition to test on every duo); each share a subquery of its own, as its
    # ORDER BY and LIMIT cannot stand directly in a UNION on SQLite.
    shared = union_all(*(select(share.subquery().c.id) for share in shares))
    return Duo.id.in_(shared.scalar_subquery())
