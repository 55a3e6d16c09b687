""" "My intake": the candidate's page of their intake appointment, through their link only.

Phone first, in the candidate's language (their choice on the page's language switch,
else the language we know them in). Every path checks the token first: a wrong one (or
another branch's) gets a 404 page, an expired, revoked (the intake moved or was
cancelled) or used one (they already asked for another time) a 410 page naming why, and
neither changes anything. Asking for another time is recorded as done by the candidate.
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import Blueprint, g, render_template
from flask_babel import force_locale

from duo.core import links
from duo.core.auth.access import personal_link
from duo.core.db import db
from duo.core.i18n import reader_locale
from duo.core.links.models import PersonalLink
from duo.intake import appointments
from duo.intake.appointment_forms import OtherTimeForm
from duo.intake.models import IntakeAppointment
from duo.people.link_pages import Invalid, Opened, open_link, opens_link
from duo.people.models import Person

link_bp = Blueprint(
    "my_intake", __name__, url_prefix="/<tenant>/my-intake", template_folder="templates"
)


class Visit:
    def __init__(self, link: PersonalLink, person: Person, appointment: IntakeAppointment) -> None:
        self.link, self.person, self.appointment = link, person, appointment


def _open(token: str) -> Visit | Invalid:
    opened = open_link(
        token,
        appointments.PURPOSE,
        "intake/link/invalid.html",
        object_type=appointments.OBJECT,
        load=lambda link: appointments.get(link.object_id),
    )
    if not isinstance(opened, Opened):
        return opened
    return Visit(opened.link, opened.person, opened.target)


def _page(visit: Visit, form: OtherTimeForm | None = None, status: int = 200):
    with force_locale(reader_locale(visit.person)):
        form = form or OtherTimeForm(formdata=None)
        return (
            render_template(
                "intake/link/page.html",
                visit=visit,
                appointment=visit.appointment,
                form=form,
            ),
            status,
        )


@link_bp.route("/<token>")
@personal_link
@opens_link(_open)
def page(visit: Visit, token: str):
    links.opened(visit.link)
    return _page(visit)


@link_bp.route("/<token>/other-time", methods=["POST"])
@personal_link
@opens_link(_open)
def other_time(visit: Visit, token: str):
    with force_locale(reader_locale(visit.person)):
        form = OtherTimeForm()
        if not form.validate_on_submit():
            return _page(visit, form, 400)
        zone = ZoneInfo(g.tenant.timezone)
        preferred = [
            value.replace(tzinfo=zone).astimezone(UTC)
            for value in (form.preferred_1.data, form.preferred_2.data)
            if value is not None
        ]
        try:
            appointments.request_other_time(
                visit.appointment, visit.link, form.message.data, preferred
            )
        except appointments.AppointmentError as exc:
            field = getattr(form, exc.field or "message")
            field.errors = [*field.errors, str(exc)]
            db.session.rollback()
            return _page(visit, form, 400)
        return render_template("intake/link/thanks.html", visit=visit), 200
