"""What the sessions ask of a coordinator, on the branch's overview page."""

from __future__ import annotations

from flask import url_for
from flask_babel import ngettext

from duo.core.dashboard.todos import Todo
from duo.core.tenancy.models import Tenant
from duo.sessions import domain


def session_todos(tenant: Tenant) -> list[Todo]:
    url = url_for("sessions.index", tenant=tenant.slug)
    missing = domain.attendance_missing(tenant)
    nearly_full = domain.nearly_full_count()
    return [
        Todo(
            label=ngettext(
                "%(num)d information session held recently: attendance not yet recorded",
                "%(num)d information sessions held recently: attendance not yet recorded",
                missing,
            ),
            count=missing,
            url=url,
            urgency=10,
        ),
        Todo(
            label=ngettext(
                "%(num)d upcoming information session nearly full: plan another one?",
                "%(num)d upcoming information sessions nearly full: plan another one?",
                nearly_full,
            ),
            count=nearly_full,
            url=url,
            urgency=40,
        ),
    ]
