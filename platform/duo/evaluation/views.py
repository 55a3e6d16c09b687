"""Evaluation pages: the survey and the outcome question through personal links, and the
coordinator's panel on the duo page (answers, outcomes, recording one on the mentee's
behalf). Link paths answer like "my duo": 404 for a wrong or another branch's token,
410 with the reason for an expired, revoked or used one; nothing changes.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from duo.core import links
from duo.core.auth.access import coordinator_required, personal_link
from duo.core.db import db
from duo.core.i18n import reader_locale
from duo.core.validation import Form
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import Duo
from duo.duos.pages import load, register_panel
from duo.evaluation import outcomes, survey
from duo.evaluation.jobs import OUTCOME_PURPOSE, SURVEY_PURPOSE
from duo.evaluation.models import CONTRACTS, STATUSES, OutcomeAsk
from duo.people.link_pages import Invalid, Opened, open_link, opens_link, render_for

bp = Blueprint(
    "evaluation", __name__, url_prefix="/<tenant>/evaluation", template_folder="templates"
)


INVALID = "duos/link/invalid.html"


def _survey_link(token: str) -> Opened | Invalid:
    return open_link(token, SURVEY_PURPOSE, INVALID)


def _outcome_link(token: str) -> Opened | Invalid:
    return open_link(token, OUTCOME_PURPOSE, INVALID)


def _duo(duo_id: uuid.UUID) -> Duo | None:
    return db.session.execute(select(Duo).where(Duo.id == duo_id)).scalar_one_or_none()


@bp.route("/<token>", methods=["GET", "POST"])
@personal_link
@opens_link(_survey_link)
def survey_page(opened: Opened, token: str):
    link, person = opened.link, opened.person
    duo = _duo(link.object_id)
    if duo is None:
        return render_for(INVALID, None, 404, reason=links.WRONG)
    party = "mentee" if duo.mentee_id == person.id else "mentor"
    locale = reader_locale(person)
    done = bool(survey.answers(duo).get(party))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and not done:
        with force_locale(locale):
            if not Form().validate_on_submit():
                abort(400)
            try:
                survey.answer(duo, party, request.form.to_dict(), tenant=g.tenant,
                              person_id=person.id)  # fmt: skip
            except InvalidDuoTransition as exc:
                db.session.rollback()
                errors[exc.field or ""] = str(exc)
                status = 400
            else:
                flash(_("Thank you for your answers."), "success")
                return redirect(url_for("evaluation.survey_page", token=token))
    return render_for(
        "evaluation/survey.html", person, status, person=person, done=done, errors=errors,
        questions=survey.questions(g.tenant, party, locale), agree=survey.AGREE,
        yes_no=survey.YES_NO, values=request.form, form=Form(formdata=None),
    )  # fmt: skip


def _outcome_data(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": form.get("status"),
        "contract_type": form.get("contract_type") or None,
        "note": form.get("note"),
    }
    hours = (form.get("hours_per_week") or "").strip()
    data["hours_per_week"] = int(hours) if hours.isdigit() else None
    try:
        data["job_started_on"] = date.fromisoformat(form.get("job_started_on") or "")
    except ValueError:
        data["job_started_on"] = None
    return data


@bp.route("/outcome/<token>", methods=["GET", "POST"])
@personal_link
@opens_link(_outcome_link)
def outcome(opened: Opened, token: str):
    link, person = opened.link, opened.person
    ask = db.session.execute(
        select(OutcomeAsk).where(OutcomeAsk.id == link.object_id)
    ).scalar_one_or_none()
    duo = _duo(ask.duo_id) if ask is not None else None
    if ask is None or duo is None:
        return render_for(INVALID, None, 404, reason=links.WRONG)
    if ask.answered_at is not None:
        return render_for(INVALID, person, 410, reason=links.USED)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        with force_locale(reader_locale(person)):
            if not Form().validate_on_submit():
                abort(400)
            try:
                outcomes.record(ask, duo, _outcome_data(request.form))
            except InvalidDuoTransition as exc:
                db.session.rollback()
                errors[exc.field or ""] = str(exc)
                status = 400
            else:
                links.mark_used(link)
                return render_for("evaluation/thanks.html", person)
    return render_for(
        "evaluation/outcome.html", person, status, person=person, ask=ask, errors=errors,
        statuses=[(s, outcomes.STATUS_LABELS[s]) for s in STATUSES],
        contracts=[(c, outcomes.CONTRACT_LABELS[c]) for c in CONTRACTS],
        values=request.form, form=Form(formdata=None),
        action=url_for("evaluation.outcome", token=token),
    )  # fmt: skip


@bp.route("/duos/<uuid:duo_id>/outcome/<int:months>", methods=["POST"])
@coordinator_required
def record_outcome(duo_id: uuid.UUID, months: int):
    duo = load(duo_id)
    ask = next((a for a in outcomes.asks_of(duo) if a.months_after == months), None)
    if ask is None:
        abort(404)
    if not Form().validate_on_submit():
        abort(400)
    try:
        outcomes.record(ask, duo, _outcome_data(request.form), by=current_user)
    except InvalidDuoTransition as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("duos.detail", duo_id=duo.id)), 303
    flash(_("The outcome is recorded."), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


@register_panel
def _panel(duo: Duo) -> str:
    if duo.started_at is None:
        return ""
    locale = str(get_locale())
    given = survey.answers(duo)
    asks, results = outcomes.followed(duo)
    return render_template(
        "evaluation/panel.html",
        duo=duo,
        answered={party: given.get(party, {}) for party in ("mentee", "mentor")},
        questions={p: survey.questions(g.tenant, p, locale) for p in ("mentee", "mentor")},
        labels=dict(survey.AGREE) | dict(survey.YES_NO),
        asks=asks,
        results=results,
        statuses=[(s, outcomes.STATUS_LABELS[s]) for s in STATUSES],
        contracts=[(c, outcomes.CONTRACT_LABELS[c]) for c in CONTRACTS],
        status_labels=outcomes.STATUS_LABELS,
        contract_labels=outcomes.CONTRACT_LABELS,
        form=Form(formdata=None),
    )
