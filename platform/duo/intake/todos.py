"""The intake step's to-dos on a branch's dashboard: intakes to hold, decisions to take."""

from __future__ import annotations

from flask import url_for
from flask_babel import ngettext

from duo.core.dashboard.todos import Todo
from duo.core.tenancy.models import Tenant
from duo.people import listing, states


def intake_todos(tenant: Tenant) -> list[Todo]:
    counts = listing.todo_counts()
    return [
        Todo(
            label=ngettext(
                "%(num)d candidate attended an information session and waits for an intake",
                "%(num)d candidates attended an information session and wait for an intake",
                counts.get(states.ATTENDED, 0),
            ),
            count=counts.get(states.ATTENDED, 0),
            url=url_for("people.index", tenant=tenant.slug, state=states.ATTENDED, sort="waiting"),
            urgency=30,
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
