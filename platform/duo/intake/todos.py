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
    return [
        Todo(
            label=ngettext(
                "%(num)d candidate attended an information session and waits for an intake",
                "%(num)d candidates attended an information session and wait for an intake",
                unscheduled,
            ),
            count=unscheduled,
            url=url_for("people.intakes", tenant=tenant.slug, _anchor="intake-to-schedule"),
            urgency=30,
        ),
        Todo(
            label=ngettext(
                "%(num)d candidate asked for another intake time",
                "%(num)d candidates asked for another intake time",
                asked,
            ),
            count=asked,
            url=url_for("people.intakes", tenant=tenant.slug, _anchor="intake-requests"),
            urgency=15,
        ),
        Todo(
            label=ngettext(
                "%(num)d eligibility decision to take (needs review)",
                "%(num)d eligibility decisions to take (needs review)",
                counts.get(states.NEEDS_REVIEW, 0),
            ),
            count=counts.get(states.NEEDS_REVIEW, 0),
            url=url_for(
                "people.index", tenant=tenant.slug, state=states.NEEDS_REVIEW, sort="waiting"
            ),
            urgency=20,
        ),
        Todo(
            label=ngettext(
                "%(num)d intake recorded without an eligibility decision",
                "%(num)d intakes recorded without an eligibility decision",
                counts.get(states.INTAKE_DONE, 0),
            ),
            count=counts.get(states.INTAKE_DONE, 0),
            url=url_for(
                "people.index", tenant=tenant.slug, state=states.INTAKE_DONE, sort="waiting"
            ),
            urgency=25,
        ),
    ]


def schedule_action(person: Person) -> list[next_step.Action]:
    """Before the interview: schedule it (or see the one scheduled)."""
    return [
        next_step.Action(
            str(_l("Schedule the intake")),
            url_for("people.appointment", person_id=person.id),
            primary=person.state == states.ATTENDED,
        )
    ]
