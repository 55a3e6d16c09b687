"""What the sessions ask of a coordinator, on the branch's overview page."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from duo.dashboard.todos import Todo, provider
from duo.sessions import domain
from duo.tenancy.models import Tenant


@provider
def session_todos(tenant: Tenant) -> list[Todo]:
    url = url_for("sessions.index", tenant=tenant.slug)
    return [
        Todo(
            label=_("information sessions held recently: attendance not yet recorded"),
            count=domain.attendance_missing(tenant),
            url=url,
            urgency=10,
        ),
        Todo(
            label=_("upcoming information sessions nearly full: plan another one?"),
            count=domain.nearly_full_count(),
            url=url,
            urgency=40,
        ),
    ]
