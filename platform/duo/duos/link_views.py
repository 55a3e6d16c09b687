""" "My duo": the personal page of a mentor or mentee, reached through their link only.

Phone first, in the person's language (their own choice on the page's language switch,
else the language we know them in). Every path checks the token first: a wrong one (or
another branch's) gets a 404 page, an expired, revoked or used one a 410 page naming why,
and neither changes anything. What the person does here is recorded as done by them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from duo.core import links
from duo.core.auth.access import personal_link
from duo.core.db import db
from duo.core.i18n import format_date, reader_locale
from duo.core.links.models import PersonalLink
from duo.core.validation import Form
from duo.duos import accompaniment, agreement, config, first_meeting, pdf, states
from duo.duos.forms import CheckInForm, DecisionForm, SignForm
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import Duo
from duo.duos.notify import OBJECT, PURPOSE
from duo.people.link_pages import Invalid, Opened, open_link, opens_link, render_for
from duo.people.models import Person

link_bp = Blueprint("my_duo", __name__, url_prefix="/<tenant>/my", template_folder="templates")


class Visit:
    """What a valid link opened: the link, the person, their duo, partner and side."""

    def __init__(self, link: PersonalLink, person: Person, duo: Duo, partner: Person) -> None:
        self.link, self.person, self.duo, self.partner = link, person, duo, partner
        self.party = "mentee" if duo.mentee_id == person.id else "mentor"


INVALID = "duos/link/invalid.html"


def _duo_of(link: PersonalLink) -> Duo | None:
    return db.session.execute(select(Duo).where(Duo.id == link.object_id)).scalar_one_or_none()


def _open(token: str) -> Visit | Invalid:
    opened = open_link(token, PURPOSE, INVALID, object_type=OBJECT, load=_duo_of)
    if not isinstance(opened, Opened):
        return opened
    person, duo = opened.person, opened.target
    partner_id = duo.mentor_id if duo.mentee_id == person.id else duo.mentee_id
    partner = db.session.execute(select(Person).where(Person.id == partner_id)).scalar_one()
    return Visit(opened.link, person, duo, partner)


def check_in_form(tenant: Any, locale: str, formdata: Any = None) -> CheckInForm:
    """The check-in form with the branch's topics and durations, labels in ``locale``."""
    form = CheckInForm(formdata=formdata)
    form.minutes.choices = [SelectChoice("", "-")] + [
        SelectChoice(str(m), _("%(minutes)d min", minutes=m)) for m in accompaniment.DURATIONS
    ]
    form.topics.choices = [
        SelectChoice(key, title) for key, title in config.choices(tenant, "topics", locale)
    ]
    return form


def _week(value: str | None) -> date | None:
    """A week named by a form or a mail's link (its Monday), or None when unreadable."""
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if day.weekday() == 0 else None


def _asked_week(visit: Visit) -> tuple[date | None, date | None]:
    """(the week the check-in form is for, a week asked for that is closed)."""
    open_weeks = accompaniment.open_weeks(visit.duo, g.tenant)
    asked = request.args.get("week")
    week = _week(asked)
    if week is not None and week in open_weeks:
        return week, None
    current = open_weeks[0] if open_weeks else None
    return current, (week if asked else None)


def _page(visit: Visit, status: int = 200, **forms: Any):
    duo, tenant = visit.duo, g.tenant
    decided = first_meeting.decisions(duo).get(visit.party)
    signed = agreement.signatures(duo)
    locale = reader_locale(visit.person)
    people = {
        visit.party: visit.person,
        ("mentor" if visit.party == "mentee" else "mentee"): visit.partner,
    }
    pair_locale = agreement.locale_of(duo, tenant, people["mentee"], people["mentor"])
    form = forms.get("check_in_form")
    if form is None:
        form = _with_locale(locale, check_in_form, tenant)
        week, closed_week = _asked_week(visit)
        form.week.data = week.isoformat() if week else ""
    else:
        week, closed_week = _week(form.week.data), None
    return render_for(
        "duos/link/page.html",
        visit.person,
        status,
        visit=visit,
        duo=duo,
        states=states,
        decided=decided,
        decision_open=first_meeting.decision_open(duo),
        signed=signed,
        texts=agreement.texts(duo, tenant, pair_locale),
        pair_locale=pair_locale,
        document=pdf.document(duo) if duo.started_at else None,
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        sign_form=forms.get("sign_form") or SignForm(formdata=None),
        locale=locale,
        may_check_in=accompaniment.may_check_in(duo, visit.party, tenant),
        check_in_form=form,
        check_in_week=week,
        check_in_current=week == accompaniment.this_week(tenant),
        check_in_closed_week=closed_week,
        check_in_given=accompaniment.given(duo, visit.person.id, week) if week else None,
        weeks=accompaniment.timeline(duo, tenant),
    )


@link_bp.route("/<token>")
@personal_link
@opens_link(_open)
def page(visit: Visit, token: str):
    links.opened(visit.link)
    return _page(visit)


def _failed(visit: Visit, exc: InvalidDuoTransition, form: Any, name: str):
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        flash(str(exc), "error")
    db.session.rollback()
    return _page(visit, 400, **{name: form})


class _Step(NamedTuple):
    """A step taken from a form on the person's page: the form, its name on the page,
    what it does (``take(visit, form)``) and what the page says once it is done."""

    form_class: type[Form]
    name: str
    take: Callable[[Visit, Any], object]
    done: Any


def _take_step(visit: Visit, token: str, step: _Step):
    """Take a step from its form on the person's page, in their language, then show the
    page again saying so; an invalid form or a refused step shows the page with the form,
    answering 400."""
    with force_locale(reader_locale(visit.person)):
        form = step.form_class()
        if not form.validate_on_submit():
            return _page(visit, 400, **{step.name: form})
        try:
            step.take(visit, form)
        except InvalidDuoTransition as exc:
            return _failed(visit, exc, form, step.name)
        flash(str(step.done), "success")
    return redirect(url_for("my_duo.page", token=token))


def _decide(visit: Visit, form: DecisionForm) -> object:
    return first_meeting.decide(
        visit.duo,
        visit.party,
        form.go_on.data == "yes",
        tenant=g.tenant,
        reason=form.reason.data,
        by_person=visit.person,
    )


def _sign(visit: Visit, form: SignForm) -> object:
    return agreement.sign(
        visit.duo,
        visit.party,
        full_name=form.full_name.data,
        accepted=bool(form.accepted.data),
        tenant=g.tenant,
        expected_name=visit.person.full_name,
        person=visit.person,
    )


_DECISION = _Step(DecisionForm, "decision_form", _decide, _l("Thank you: your answer is recorded."))
_SIGNATURE = _Step(SignForm, "sign_form", _sign, _l("Thank you: you signed the agreement."))


@link_bp.route("/<token>/decision", methods=["POST"])
@personal_link
@opens_link(_open)
def decide(visit: Visit, token: str):
    return _take_step(visit, token, _DECISION)


@link_bp.route("/<token>/sign", methods=["POST"])
@personal_link
@opens_link(_open)
def sign(visit: Visit, token: str):
    return _take_step(visit, token, _SIGNATURE)


def _with_locale(locale: str, func: Any, *args: Any) -> Any:
    with force_locale(locale):
        return func(*args, locale)


@link_bp.route("/<token>/check-in", methods=["POST"])
@personal_link
@opens_link(_open)
def check_in(visit: Visit, token: str):
    locale = reader_locale(visit.person)
    with force_locale(locale):
        form = check_in_form(g.tenant, locale, formdata=request.form)
        if not form.validate_on_submit():
            return _page(visit, 400, check_in_form=form)
        met = form.met.data == "yes"
        week = _week(form.week.data)
        if week is None:
            form.week.data = ""
            flash(_("This check-in does not say which week it is about. Nothing was recorded."),
                  "error")  # fmt: skip
            return _page(visit, 400)
        replaced = accompaniment.given(visit.duo, visit.person.id, week) is not None
        try:
            accompaniment.check_in(
                visit.duo,
                visit.party,
                tenant=g.tenant,
                person_id=visit.person.id,
                met=met,
                minutes=int(form.minutes.data) if met and form.minutes.data else None,
                topics=list(form.topics.data or []),
                note=form.note.data,
                contact_me=bool(form.contact_me.data),
                week=week,
            )
        except InvalidDuoTransition as exc:
            if exc.field == "week":
                flash(str(exc), "error")
                db.session.rollback()
                return _page(visit, 400)
            return _failed(visit, exc, form, "check_in_form")
        if replaced:
            flash(
                _("Thank you: your check-in for the week of %(day)s is updated.",
                  day=format_date(week)),
                "success",
            )  # fmt: skip
        else:
            flash(_("Thank you: your check-in is recorded."), "success")
    return redirect(url_for("my_duo.page", token=token))


@link_bp.route("/<token>/agreement.pdf")
@personal_link
@opens_link(_open)
def agreement_pdf(visit: Visit, token: str):
    doc = pdf.document(visit.duo)
    if doc is None:
        abort(404)
    return pdf_response(doc)


def pdf_response(doc: Any) -> Response:
    return Response(
        doc.content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{doc.filename}"',
            "Cache-Control": "private, no-store",
        },
    )
