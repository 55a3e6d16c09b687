"""A branch's candidates: the pipeline, a person's page, the intake interview, the
eligibility decision (re-evaluation, override), withdrawal and reinstatement.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from duo.core import audit, exporting
from duo.core.auth.access import coordinator_required
from duo.core.i18n import formatting
from duo.eligibility import reasons
from duo.eligibility.decisions import DECIDABLE, DecisionError, decide, decisions_of, override
from duo.eligibility.engine import Outcome, rules_hash
from duo.intake import appointments
from duo.intake.forms import EmptyForm, OverrideForm, WithdrawForm, intake_form_class
from duo.intake.interview import record_intake
from duo.intake.views.blueprint import (
    PIPELINE,
    ROLE_LABELS,
    bp,
    branch_today,
    people_label,
    person_or_404,
    rules_of,
)
from duo.intake.views.candidate_rows import candidate_rows, language_choices
from duo.people import history, list_pages, listing, next_step, states, vocab
from duo.people.models import MENTEE, Person
from duo.people.pipeline import InvalidTransition, transition
from duo.people.profiles import load_profile
from duo.privacy import consent, gdpr


@bp.route("/")
@coordinator_required
def index():
    filters = listing.parse_filters(request.args)
    page = list_pages.search(filters)
    sessions = listing.session_choices()
    return render_template(
        "people/index.html",
        filters=filters,
        page=page,
        counts=listing.state_counts(),
        pipeline=PIPELINE,
        role_labels=ROLE_LABELS,
        sessions=sessions,
        rows=candidate_rows(page.rows),
        languages=language_choices(),
        sectors=vocab.SECTORS,
        sorts={"name": _("Name"), "waiting": _("Waiting longest"), "newest": _("Newest")},
    )


@bp.route("/export.<fmt>")
@coordinator_required
def export(fmt: str):
    """The list as it is filtered on the page, as CSV or XLSX; the export is audited."""
    if fmt not in exporting.FORMATS:
        abort(404)
    filters = listing.parse_filters(request.args)
    rows = list_pages.export_rows(filters)
    headers = [
        _("Last name"),
        _("First name"),
        _("Role"),
        _("Step"),
        _("Since"),
        _("E-mail"),
        _("Phone"),
        _("Languages"),
        _("Sector"),
        _("Postcode"),
    ]

    def sectors(row: list_pages.Row) -> str:
        keys = [row.target_sector] if row.person.role == MENTEE else row.sectors
        return ", ".join(people_label("sector", k) for k in keys if k)

    body = exporting.to_bytes(
        fmt,
        headers,
        (
            [
                row.person.last_name,
                row.person.first_name,
                people_label("role", row.person.role),
                people_label("state", row.person.state),
                formatting.format_date(row.person.state_changed_at, "short"),
                row.person.email,
                row.person.phone,
                ", ".join(f"{code} {level}" for code, level in sorted(row.languages.items())),
                sectors(row),
                row.postcode,
            ]
            for row in rows
        ),
    )
    audit.record(
        audit.EXPORT,
        f"people.{fmt}",
        actor=current_user,
        details={"rows": len(rows), "filters": filters.args()},
    )
    name = f"{g.tenant.slug}-candidates.{fmt}"
    return Response(
        body,
        mimetype=exporting.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --------------------------------------------------------------------------- a person


def _person_page(person: Person, *, status: int = 200, **forms: Any):
    rules = rules_of(person)
    decisions = decisions_of(person, rules)
    profile = load_profile(person)
    forms.setdefault("override_form", OverrideForm(current_state=person.state))
    forms.setdefault("withdraw_form", WithdrawForm())
    appointment = appointments.current(person)
    return (
        render_template(
            "people/person.html",
            person=person,
            profile=profile,
            decisions=decisions,
            current=decisions[0] if decisions else None,
            current_hash=rules_hash(rules),
            history=history.history_of(person),
            step=next_step.next_step(person),
            has_sensitive_consent=consent.has_consent(person, consent.SENSITIVE_FACTS),
            erasure=gdpr.erasure_dates(person.id),
            decidable=person.state in DECIDABLE,
            reinstate_to=[
                s
                for s in (states.REGISTERED, states.ATTENDED, states.INTAKE_DONE)
                if states.allowed(person.role, person.state, s)
            ],
            availability=_availability(profile),
            button_form=EmptyForm(),
            appointment=appointment,
            appointment_requests=appointments.open_requests(appointment) if appointment else [],
            preferred_times=appointments.preferred_times,
            schedulable=appointments.SCHEDULABLE,
            **forms,
        ),
        status,
    )


def _availability(profile: Any) -> list[tuple[str, list[str]]]:
    chosen = set(profile.availability or []) if profile is not None else set()
    rows = []
    for day in vocab.DAYS:
        parts = [part for part in vocab.PARTS if f"{day}-{part}" in chosen]
        if parts:
            rows.append((day, parts))
    return rows


@bp.route("/<uuid:person_id>")
@coordinator_required
def person(person_id: uuid.UUID):
    found = person_or_404(person_id)
    audit.record_view("person", actor=current_user, person_id=found.id)
    return _person_page(found)


@bp.route("/<uuid:person_id>/intake", methods=["GET", "POST"])
@coordinator_required
def intake(person_id: uuid.UUID):
    person = person_or_404(person_id)
    form_class = intake_form_class(person.role)
    profile = load_profile(person)
    if request.method == "POST":
        form = form_class()
    else:
        data = form_class.data_from(profile)
        form = form_class(data=data)
        if person.role == MENTEE:
            form.sensitive_consent.data = consent.has_consent(person, consent.SENSITIVE_FACTS)
        if len(data.get("languages") or []) >= len(form.languages.entries):
            form.languages.append_entry()
        audit.record_view("intake", actor=current_user, person_id=person.id)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _intake_page(person, form, status=400)
        consent_given = bool(person.role == MENTEE and form.sensitive_consent.data)
        result = record_intake(
            person,
            form.answers(),
            consent_given=consent_given,
            rules=rules_of(person),
            today=branch_today(),
            by=current_user,
            locale=str(get_locale() or person.locale),
        )
        audit.record(audit.PERSON_EDIT, "intake", actor=current_user, person_id=person.id)
        appointments.mark_done(person)
        if result.sensitive_dropped:
            flash(
                _(
                    "Migration background and residence status were not recorded: the "
                    "candidate has not given consent."
                ),
                "error",
            )
        if result.decision is not None:
            flash(
                _(
                    "Intake saved. Eligibility: %(outcome)s.",
                    outcome=reasons.describe_outcome(result.decision.outcome),
                ),
                "success",
            )
        else:
            flash(_("Intake saved."), "success")
        return redirect(url_for("people.person", person_id=person.id))
    return _intake_page(person, form)


def _form_page(template: str, person: Person, form: Any, status: int, **context: Any):
    """A candidate's page holding one form, answering ``status``."""
    return render_template(template, person=person, form=form, **context), status


def _intake_page(person: Person, form: Any, status: int = 200):
    return _form_page(
        "people/intake.html",
        person,
        form,
        status,
        days=vocab.DAYS,
        parts=vocab.PARTS,
        decidable=person.state in DECIDABLE | {states.REGISTERED, states.ATTENDED},
        jobseeker_hint=_jobseeker_hint(),
    )


def _jobseeker_hint() -> str:
    """The branch's own employment services (its country's list, or its narrower one)."""
    services = (g.tenant.config.get("choices") or {}).get("employment_services") or ()
    if not services:
        return ""
    return _("With the public employment service: %(services)s", services=", ".join(services))


@bp.route("/<uuid:person_id>/reevaluate", methods=["POST"])
@coordinator_required
def reevaluate(person_id: uuid.UUID):
    person = person_or_404(person_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        decision = decide(
            person, rules_of(person), today=branch_today(), by=current_user, reevaluation=True
        )
    except DecisionError as exc:
        flash(str(exc), "error")
        return _person_page(person, status=400)
    flash(
        _("Evaluated again: %(outcome)s.", outcome=reasons.describe_outcome(decision.outcome)),
        "success",
    )
    return redirect(url_for("people.person", person_id=person.id))


@bp.route("/<uuid:person_id>/override", methods=["GET", "POST"])
@coordinator_required
def override_decision(person_id: uuid.UUID):
    person = person_or_404(person_id)
    if person.state not in DECIDABLE:
        flash(
            _(
                "Eligibility cannot be decided at the step “%(state)s”.",
                state=states.LABELS[person.state],
            ),
            "error",
        )
        if request.method == "GET":
            return redirect(url_for("people.person", person_id=person.id))
        return _person_page(person, status=400)
    form = OverrideForm(current_state=person.state)
    if request.method == "GET":
        return _override_page(person, form)
    if not form.validate_on_submit():
        return _override_page(person, form, status=400)
    try:
        override(
            person,
            Outcome(form.outcome.data),
            form.justification.data,
            rules_of(person),
            today=branch_today(),
            by=current_user,
        )
    except (DecisionError, ValueError) as exc:
        form.outcome.errors = [*form.outcome.errors, str(exc)]
        return _override_page(person, form, status=400)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("people.person", person_id=person.id))


def _override_page(person: Person, form: OverrideForm, status: int = 200):
    state_label = states.LABELS[person.state]
    return _form_page("people/override.html", person, form, status, state_label=state_label)


@bp.route("/<uuid:person_id>/withdraw", methods=["POST"])
@coordinator_required
def withdraw(person_id: uuid.UUID):
    person = person_or_404(person_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _person_page(person, status=400, withdraw_form=form)
    try:
        transition(
            person,
            states.WITHDRAWN,
            by=current_user,
            reason=history.reason(history.WITHDRAWN, form.reason.data),
        )
    except InvalidTransition as exc:
        form.reason.errors = [*form.reason.errors, str(exc)]
        return _person_page(person, status=400, withdraw_form=form)
    flash(_("%(name)s no longer takes part.", name=person.full_name), "success")
    return redirect(url_for("people.person", person_id=person.id))


@bp.route("/<uuid:person_id>/reinstate", methods=["POST"])
@coordinator_required
def reinstate(person_id: uuid.UUID):
    person = person_or_404(person_id)
    form = EmptyForm()
    target = request.form.get("target", "")
    if not form.validate_on_submit() or target not in (
        states.REGISTERED,
        states.ATTENDED,
        states.INTAKE_DONE,
    ):
        abort(400)
    try:
        transition(person, target, by=current_user, reason=history.reason(history.REINSTATED))
    except InvalidTransition as exc:
        flash(str(exc), "error")
        return _person_page(person, status=400)
    flash(_("%(name)s is back in the programme.", name=person.full_name), "success")
    return redirect(url_for("people.person", person_id=person.id))
