"""The training cycle page's lists of participants, as the page shows them.

A cycle of a large branch lists dozens of people enrolled or waiting; asked for from the
template, each row's link, its withdrawal form's address, its step and its sentences were
each a ``url_for`` or a call through Jinja's context and Flask-Babel. Here the links are
two URLs per page with the ids put in, the words are looked up once per page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from duo.core.i18n import formatting, translated
from duo.core.urls import row_link
from duo.people import states
from duo.training.models import TrainingCycle
from duo.training.views.blueprint import title_of


@dataclass(frozen=True)
class Participant:
    """One enrolment or place on the waiting list, with the words the page shows for it."""

    id: uuid.UUID
    url: str
    name: str
    #: "the whole cycle", or "session 2: <module>" ("session 2" on the waiting list).
    enrolled_in: str
    step: str
    since: str
    withdraw_url: str
    withdraw_label: str


def participants(
    cycle: TrainingCycle, rows: Iterable[Any], *, waiting: bool = False
) -> list[Participant]:
    """``rows``: from :func:`duo.training.enrolment.cycle_enrolments` (an enrolment with its
    person's names and step)."""
    person_link = row_link("training.person", "person_id")
    withdraw_link = row_link("training.withdraw", "enrolment_id")
    sessions = {s.id: s for s in cycle.sessions}
    steps = translated(states.LABELS)
    whole_cycle = _("the whole cycle")
    locale, zone = formatting.page_locale_and_zone()
    titles: dict[str | None, str] = {}
    shown = []
    for row in rows:
        name = f"{row.first_name} {row.last_name}"  # as Person.full_name
        if row.session_id:
            session = sessions[row.session_id]
            enrolled_in = _("session %(n)s", n=session.number)
            if not waiting:
                key = session.module_key
                if key not in titles:
                    titles[key] = title_of(key, cycle.title)
                enrolled_in = f"{enrolled_in}: {titles[key]}"
        else:
            enrolled_in = whole_cycle
        if waiting:
            label = _("Take %(name)s off the waiting list", name=name)
            since = formatting.format_datetime(row.requested_at, "short", locale=locale, zone=zone)
        else:
            label, since = _("Withdraw %(name)s", name=name), ""
        shown.append(
            Participant(
                id=row.id,
                url=person_link(row.person_id),
                name=name,
                enrolled_in=enrolled_in,
                step=steps.get(row.state, row.state),
                since=since,
                withdraw_url=withdraw_link(row.id),
                withdraw_label=label,
            )
        )
    return shown
