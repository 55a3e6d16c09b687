"""Candidates pages of a branch: the pipeline, a person's page, intake, decisions, import.

Views are thin: they read the form, call the domain functions (``intake``, ``decisions``,
``importing``, ``listing``) and render. Bad input answers 400 with the messages at the
fields and nothing written (the request's transaction is rolled back for any status >= 400).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from duo.core import audit, exporting
from duo.core.auth.access import coordinator_required
from duo.core.dashboard.todos import Todo
from duo.core.db import db
from duo.core.i18n import formatting
from duo.core.tenancy.models import Tenant
from duo.eligibility import reasons
from duo.eligibility.decisions import (
    DECIDABLE,
    DecisionError,
    decide,
    decisions_of,
    local_today,
    override,
    rules_for,
)
from duo.eligibility.engine import Outcome, rules_hash
from duo.intake.forms import (
    EmptyForm,
    ImportUploadForm,
    OverrideForm,
    WithdrawForm,
    intake_form_class,
)
from duo.intake.interview import record_intake
from duo.people import history, importing, listing, next_step, spreadsheet, states, vocab
from duo.people.models import MENTEE, MENTOR, Person
from duo.people.pipeline import InvalidTransition, transition
from duo.people.profiles import load_profile
from duo.privacy import consent

bp = Blueprint("people", __name__, url_prefix="/<tenant>/people", template_folder="templates")


ROLE_LABELS = {MENTOR: _l("Mentors"), MENTEE: _l("Mentees")}
ROLE_LABEL = {MENTOR: _l("mentor"), MENTEE: _l("mentee")}
#: The pipeline in the programme's order (columns of the counts table).
PIPELINE = [s for s in states.STATES if s != states.WITHDRAWN] + [states.WITHDRAWN]


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


@bp.app_template_global("people_label")
def _label(kind: str, key: Any) -> str:
    tables = {
        "sector": vocab.SECTOR_LABELS,
        "help": vocab.HELP_LABELS,
        "slot_day": vocab.DAY_LABELS,
        "slot_part": vocab.PART_LABELS,
        "level": vocab.LEVEL_LABELS,
        "education": vocab.EDUCATION_LABELS,
        "working": vocab.WORKING_STATUS_LABELS,
        "digital": vocab.DIGITAL_SKILL_LABELS,
        "migration": vocab.MIGRATION_BACKGROUND_LABELS,
        "state": states.LABELS,
        "role": ROLE_LABEL,
    }
    if kind == "level_short":
        return reasons.level_label(key)
    if kind == "language":
        return reasons.language_name(str(key), str(get_locale() or "en"))
    return vocab.label(tables[kind], key)


bp.add_app_template_global(reasons.describe, "eligibility_reason")
bp.add_app_template_global(reasons.describe_outcome, "eligibility_outcome")


@bp.app_template_global("field_messages")
def _field_messages(field: Any) -> list[str]:
    """A field's own messages as text (a FieldList also lists its rows' errors: skipped)."""
    return [str(m) for m in (field.errors or []) if not isinstance(m, dict | list | tuple)]


def _person_or_404(person_id: uuid.UUID) -> Person:
    person = db.session.execute(select(Person).where(Person.id == person_id)).scalar_one_or_none()
    if person is None:
        abort(404)
    return person


def _rules(person: Person) -> list[dict[str, Any]]:
    return rules_for(g.tenant.config, person.role)


def _today() -> Any:
    return local_today(g.tenant.timezone)


# --------------------------------------------------------------------------- pipeline


@bp.route("/")
@coordinator_required
def index():
    filters = listing.parse_filters(request.args)
    page = listing.search(filters)
    sessions = listing.session_choices()
    return render_template(
        "people/index.html",
        filters=filters,
        page=page,
        counts=listing.state_counts(),
        pipeline=PIPELINE,
        role_labels=ROLE_LABELS,
        sessions=sessions,
        languages=sorted(vocab.LANGUAGES, key=lambda c: _label("language", c).lower()),
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
    rows = listing.export_rows(filters)
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

    def sectors(row: listing.Row) -> str:
        keys = [row.target_sector] if row.person.role == MENTEE else row.sectors
        return ", ".join(_label("sector", k) for k in keys if k)

    body = exporting.to_bytes(
        fmt,
        headers,
        (
            [
                row.person.last_name,
                row.person.first_name,
                _label("role", row.person.role),
                _label("state", row.person.state),
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
        "export",
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
    rules = _rules(person)
    decisions = decisions_of(person, rules)
    profile = load_profile(person)
    forms.setdefault("override_form", OverrideForm(current_state=person.state))
    forms.setdefault("withdraw_form", WithdrawForm())
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
            decidable=person.state in DECIDABLE,
            reinstate_to=[
                s
                for s in (states.REGISTERED, states.ATTENDED, states.INTAKE_DONE)
                if states.allowed(person.role, person.state, s)
            ],
            availability=_availability(profile),
            button_form=EmptyForm(),
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
    return _person_page(_person_or_404(person_id))


@bp.route("/<uuid:person_id>/intake", methods=["GET", "POST"])
@coordinator_required
def intake(person_id: uuid.UUID):
    person = _person_or_404(person_id)
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
    if request.method == "POST":
        if not form.validate_on_submit():
            return _intake_page(person, form, status=400)
        consent_given = bool(person.role == MENTEE and form.sensitive_consent.data)
        result = record_intake(
            person,
            form.answers(),
            consent_given=consent_given,
            rules=_rules(person),
            today=_today(),
            by=current_user,
            locale=str(get_locale() or person.locale),
        )
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


def _intake_page(person: Person, form: Any, status: int = 200):
    return (
        render_template(
            "people/intake.html",
            person=person,
            form=form,
            days=vocab.DAYS,
            parts=vocab.PARTS,
            decidable=person.state in DECIDABLE | {states.REGISTERED, states.ATTENDED},
        ),
        status,
    )


@bp.route("/<uuid:person_id>/reevaluate", methods=["POST"])
@coordinator_required
def reevaluate(person_id: uuid.UUID):
    person = _person_or_404(person_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        decision = decide(
            person, _rules(person), today=_today(), by=current_user, reevaluation=True
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
    person = _person_or_404(person_id)
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
            _rules(person),
            today=_today(),
            by=current_user,
        )
    except (DecisionError, ValueError) as exc:
        form.outcome.errors = [*form.outcome.errors, str(exc)]
        return _override_page(person, form, status=400)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("people.person", person_id=person.id))


def _override_page(person: Person, form: OverrideForm, status: int = 200):
    return (
        render_template(
            "people/override.html",
            person=person,
            form=form,
            state_label=states.LABELS[person.state],
        ),
        status,
    )


@bp.route("/<uuid:person_id>/withdraw", methods=["POST"])
@coordinator_required
def withdraw(person_id: uuid.UUID):
    person = _person_or_404(person_id)
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
    person = _person_or_404(person_id)
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


# --------------------------------------------------------------------------- import


@bp.route("/import", methods=["GET", "POST"])
@coordinator_required
def import_upload():
    form = ImportUploadForm()
    if request.method == "GET":
        return render_template("people/import_upload.html", form=form)
    if not form.validate_on_submit():
        return render_template("people/import_upload.html", form=form), 400
    upload = form.file.data
    data = upload.stream.read(spreadsheet.MAX_BYTES + 1)
    try:
        parsed = spreadsheet.parse_upload(upload.filename or "", data)
    except spreadsheet.ImportFileError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return render_template("people/import_upload.html", form=form), 400
    batch = importing.stage(parsed, upload.filename or "", by=current_user)
    return redirect(url_for("people.import_preview", batch_id=batch.id))


def _batch_or_404(batch_id: uuid.UUID) -> Any:
    batch = importing.find_batch(batch_id, by=current_user)
    if batch is None:
        abort(404)
    return batch


def _preview(batch: Any, status: int = 200):
    review = importing.review(batch.rows, list(g.tenant.locales))
    return (
        render_template(
            "people/import_preview.html",
            batch=batch,
            review=review,
            form=EmptyForm(),
            shown_new=review.new[:200],
            columns=batch.columns,
        ),
        status,
    )


@bp.route("/import/<uuid:batch_id>", methods=["GET"])
@coordinator_required
def import_preview(batch_id: uuid.UUID):
    batch = _batch_or_404(batch_id)
    return _preview(batch)


@bp.route("/import/<uuid:batch_id>", methods=["POST"])
@coordinator_required
def import_confirm(batch_id: uuid.UUID):
    batch = _batch_or_404(batch_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if batch.status != "pending":
        flash(_("This file was already imported."), "info")
        return redirect(url_for("people.index"))
    try:
        result = importing.confirm(batch, list(g.tenant.locales), by=current_user)
    except importing.ImportRejected as exc:
        flash(str(exc), "error")
        return _preview(batch, status=400)
    imported = ngettext(
        "%(num)d candidate imported", "%(num)d candidates imported", len(result.new)
    )
    skipped = ngettext(
        "%(num)d already known and skipped",
        "%(num)d already known and skipped",
        len(result.known),
    )
    flash(_("%(imported)s; %(skipped)s.", imported=imported, skipped=skipped), "success")
    return redirect(url_for("people.index", sort="newest"))


@bp.route("/import/template.csv")
@coordinator_required
def import_template():
    body = importing.template_csv(g.tenant.default_locale)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="duo-candidates-template.csv"'},
    )
