"""The intake step's to-dos on a branch's dashboard: intakes to schedule, requests for
another time, decisions to take; and the "schedule the intake" action of a person's page.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from duo.core.dashboard.todos import Todo
from duo.core.tenancy.models import Tenant
from duo.intake import appointments
from duo.people import listing, next_step, states
from duo.people.models import Person


def intake_todos(tenant: Tenant) -> list[Todo]:
    counts = listing.todo_counts()
    unscheduled, asked = appointments.todo_counts()
    review, undecided = counts.get(states.NEEDS_REVIEW, 0), counts.get(states.INTAKE_DONE, 0)
    # Each to-do: its count, its label (``ngettext`` written out for Babel), where it is
    # done and its urgency.
    todos = (
        (
            unscheduled,
            ngettext(
                "%(num)d candidate attended an information session and waits for an intake",
                "%(num)d candidates attended an information session and wait for an intake",
                unscheduled,
            ),
            url_for("people.intakes", tenant=tenant.slug, _anchor="intake-to-schedule"),
            30,
        ),
        (
            asked,
            ngettext(
                "%(num)d candidate asked for another intake time",
                "%(num)d candidates asked for another intake time",
                asked,
            ),
            url_for("people.intakes", tenant=tenant.slug, _anchor="intake-requests"),
            15,
        ),
        (
            review,
            ngettext(
                "%(num)d eligibility decision to take (needs review)",
                "%(num)d eligibility decisions to take (needs review)",
                review,
            ),
            _waiting_url(tenant, states.NEEDS_REVIEW),
            20,
        ),
        (
            undecided,
            ngettext(
                "%(num)d intake recorded without an eligibility decision",
                "%(num)d intakes recorded without an eligibility decision",
                undecided,
            ),
            _waiting_url(tenant, states.INTAKE_DONE),
            25,
        ),
    )
    return [
        Todo(label=label, count=count, url=url, urgency=urgency)
        for count, label, url, urgency in todos
    ]


def _waiting_url(tenant: Tenant, state: str) -> str:
    """The branch's people in ``state``, who waited longest first."""
    return url_for("people.index", tenant=tenant.slug, state=state, sort="waiting")


def schedule_action(person: Person) -> list[next_step.Action]:
    """Before the interview: schedule it (or see the one scheduled)."""
    return [
        next_step.Action(
            str(_l("Schedule the intake")),
            url_for("people.appointment", person_id=person.id),
            primary=person.state == states.ATTENDED,
        )
    ]
