"""Planning a training cycle (preview, then save) and the page of one cycle.

The plan object is built from the form in one place (:func:`plan_from`); the schedule
itself is the domain's (:mod:`duo.training.planning`).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from duo.core.auth.access import coordinator_required
from duo.core.db import utcnow
from duo.core.i18n import translated
from duo.people import states
from duo.training import chooser, curriculum, enrolment, planning
from duo.training.forms import (
    MODULES_CHOICE,
    WORKSHOP_PREFIX,
    ActionForm,
    CycleForm,
    CycleSettingsForm,
    EnrolForm,
)
from duo.training.models import CANCELLED, ENROLLED, MODULES, WAITING, WORKSHOP, TrainingCycle
from duo.training.schedule import SKIP_REASON_LABELS, Rhythm, ScheduleError, rhythm_problems
from duo.training.views.blueprint import (
    bp,
    form_errors_400,
    one,
    page_locale,
    put_on_fields,
    title_of,
)
from duo.training.views.cycle_rows import participants


def _cycle_form(**kwargs: Any) -> CycleForm:
    config = g.tenant.config
    return CycleForm(
        modules=curriculum.modules(config),
        workshops=curriculum.workshops(config),
        locale=page_locale(),
        **kwargs,
    )


def plan_from(form: CycleForm) -> planning.CyclePlan | None:
    """The plan the form asks for, or None after putting the rhythm's problems on its fields."""
    problems = rhythm_problems(
        form.weekdays.data or [],
        form.start_time.data,
        form.end_time.data,
        form.every_weeks.data,
    )
    if problems:
        fields = {"weekdays": form.weekdays, "end": form.end_time, "every_weeks": form.every_weeks}
        put_on_fields(problems, fields, default=form.start_time)
        return None
    content = form.content.data
    if content == MODULES_CHOICE:
        chosen = set(form.modules.data)
        order = [m.key for m in curriculum.modules(g.tenant.config)]
        what: dict[str, Any] = {"kind": MODULES, "module_keys": [k for k in order if k in chosen]}
    else:
        what = {"kind": WORKSHOP, "workshop_key": content.removeprefix(WORKSHOP_PREFIX)}
    return planning.CyclePlan(
        title=form.title.data,
        start_date=form.start_date.data,
        rhythm=Rhythm(
            tuple(form.weekdays.data),
            form.start_time.data,
            form.end_time.data,
            form.every_weeks.data,
        ),
        count=form.count.data,
        location=form.location.data,
        capacity=form.capacity.data,
        **what,
    )


def _put_problems(form: CycleForm, problems: Any) -> list[str]:
    """Problems tied to a field go there; the others are returned for the page."""
    fields = {"count": form.count, "weekdays": form.weekdays, "end": form.end_time}

    def field_of(problem: Any) -> str:
        # Not every session fits: the number of sessions (or the rhythm) must change.
        return "count" if problem.code == "not_all_placed" else problem.field or ""

    return put_on_fields(problems, fields, name=field_of)


@bp.route("/cycles/new", methods=["GET", "POST"])
@coordinator_required
def new_cycle():
    form = _cycle_form()
    if request.method == "GET":
        form.modules.data = [m.key for m in curriculum.modules(g.tenant.config) if m.required]
        form.every_weeks.data = 1
        return render_template("training/cycle_new.html", form=form, preview=None)
    action = request.form.get("action", "preview")
    if not form.validate():
        return form_errors_400("training/cycle_new.html", form=form, preview=None)
    plan = plan_from(form)
    if plan is None:
        return form_errors_400("training/cycle_new.html", form=form, preview=None)
    result = planning.preview(g.tenant, plan, page_locale())
    if not result.ok:
        errors = _put_problems(form, [p for p in result.problems if p.severity == "error"])
        return form_errors_400(
            "training/cycle_new.html", form=form, preview=result, general_errors=errors
        )
    if action != "save":
        return render_template(
            "training/cycle_new.html",
            form=form,
            preview=result,
            skip_labels=SKIP_REASON_LABELS,
        )
    cycle = planning.create_cycle(g.tenant, plan, language=page_locale(), by=current_user)
    flash(
        ngettext(
            "The cycle is saved: %(num)d session. Now enrol the participants.",
            "The cycle is saved: %(num)d sessions. Now enrol the participants.",
            len(cycle.sessions),
        ),
        "success",
    )
    return redirect(url_for("training.cycle", cycle_id=cycle.id))


# --------------------------------------------------------------------------- one cycle


#: Candidates the enrolment chooser lists at once; a search by name finds the others
#: (a branch of 5,000 people made a menu of 1,700 mentors and a page of 183 KB).
CHOOSER_SIZE = 50


def _chosen(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def enrol_form(cycle: TrainingCycle, **kwargs: Any) -> EnrolForm:
    """The enrolment form: the first candidates (``?q=`` narrows them by name or e-mail),
    and, when the form comes back, the person chosen if they can still be enrolled."""
    form = EnrolForm(**kwargs)
    form.search = request.args.get("q", "").strip()[:100]
    people = chooser.candidates(cycle, search=form.search, limit=CHOOSER_SIZE + 1)
    form.more_candidates = len(people) > CHOOSER_SIZE
    people = people[:CHOOSER_SIZE]
    chosen = _chosen(form.person_id.data) if form.person_id.data else None
    if chosen is not None and chosen not in {p.id for p in people}:
        people += chooser.candidates(cycle, only=chosen)
    steps = translated(states.LABELS)
    form.person_id.choices = [("", _("Choose a person"))] + [
        (str(p.id), f"{p.first_name} {p.last_name} ({steps.get(p.state, p.state)})") for p in people
    ]
    form.session_id.choices = [("", _("The whole cycle"))] + [
        (
            str(s.id),
            _(
                "Session %(number)s only: %(title)s",
                number=s.number,
                title=title_of(s.module_key, cycle.title),
            ),
        )
        for s in cycle.sessions
        if s.status != CANCELLED
    ]
    return form


def render_cycle(cycle: TrainingCycle, status_code: int = 200, **forms: Any):
    rows = enrolment.cycle_enrolments(cycle)
    taken = enrolment.occupancy(cycle)
    forms.setdefault("enrol_form", enrol_form(cycle))
    forms.setdefault(
        "settings_form",
        CycleSettingsForm(
            formdata=None, title=cycle.title, location=cycle.location, capacity=cycle.capacity
        ),
    )
    now = utcnow()
    return (
        render_template(
            "training/cycle.html",
            cycle=cycle,
            enrolled=participants(cycle, [r for r in rows if r.status == ENROLLED]),
            waiting=participants(cycle, [r for r in rows if r.status == WAITING], waiting=True),
            taken=taken,
            now=now,
            action_form=ActionForm(),
            rhythm_text=_rhythm_text(cycle),
            skip_labels=SKIP_REASON_LABELS,
            **forms,
        ),
        status_code,
    )


def _rhythm_text(cycle: TrainingCycle) -> str:
    try:
        return Rhythm(
            tuple(cycle.weekdays), cycle.start_time, cycle.end_time, cycle.every_weeks
        ).text
    except ScheduleError:
        return ""


@bp.route("/cycles/<uuid:cycle_id>")
@coordinator_required
def cycle(cycle_id: uuid.UUID):
    return render_cycle(one(TrainingCycle, cycle_id))


@bp.route("/cycles/<uuid:cycle_id>/print")
@coordinator_required
def cycle_print(cycle_id: uuid.UUID):
    cycle = one(TrainingCycle, cycle_id)
    return render_template(
        "training/cycle_print.html",
        cycle=cycle,
        rhythm_text=_rhythm_text(cycle),
        printed_at=utcnow(),
    )


@bp.route("/cycles/<uuid:cycle_id>/settings", methods=["POST"])
@coordinator_required
def cycle_settings(cycle_id: uuid.UUID):
    cycle = one(TrainingCycle, cycle_id)
    form = CycleSettingsForm()
    if not form.validate():
        return render_cycle(cycle, 400, settings_form=form)
    cycle.title = form.title.data.strip()
    cycle.location = (form.location.data or "").strip() or None
    promoted = enrolment.set_capacity(cycle, form.capacity.data, by=current_user)
    if promoted:
        flash(
            ngettext(
                "Saved. %(num)d person moved up from the waiting list.",
                "Saved. %(num)d people moved up from the waiting list.",
                len(promoted),
            ),
            "success",
        )
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("training.cycle", cycle_id=cycle.id))
