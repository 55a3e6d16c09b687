"""Mentor training pages: curriculum, planning, sessions, enrolment, attendance, calendars.

Every page is a branch page for coordinators (404 for anyone else), except the calendar
feed itself, which opens with its secret link alone. Views are thin: the work is done by
``planning``, ``enrolment``, ``feeds`` and ``status``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, func, select

from duo.core.auth.access import coordinator_required, personal_link
from duo.core.calendar import FEED_CONTENT_TYPE
from duo.core.dashboard import navigation
from duo.core.db import db, utcnow
from duo.people import states
from duo.people.models import MENTOR, Person
from duo.training import curriculum, enrolment, feeds, planning, status
from duo.training import todos as _todos  # (importing it registers the dashboard to-dos)
from duo.training.forms import (
    MODULES_CHOICE,
    WORKSHOP_PREFIX,
    ActionForm,
    AttendanceForm,
    CancelForm,
    CycleForm,
    CycleSettingsForm,
    EnrolForm,
    MoveForm,
)
from duo.training.models import (
    BRANCH_FEED,
    CANCELLED,
    ENROLLED,
    MODULES,
    PERSON_FEED,
    WAITING,
    WORKSHOP,
    Enrolment,
    TrainingCycle,
    TrainingSession,
)
from duo.training.schedule import SKIP_REASON_LABELS, Rhythm, ScheduleError, rhythm_problems

bp = Blueprint(
    "training",
    __name__,
    url_prefix="/<tenant>/training",
    template_folder="templates",
)

navigation.register("training.index", _l("Mentor training"), 40)


# --------------------------------------------------------------------------- helpers


def _locale() -> str:
    return str(get_locale() or g.tenant.default_locale)


def _fallbacks() -> tuple[str, ...]:
    return tuple(g.tenant.locales)


def _one(model: Any, object_id: uuid.UUID) -> Any:
    """A row of the current branch, or 404 (the ORM filter hides other branches' rows)."""
    row = db.session.execute(select(model).where(model.id == object_id)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def _items() -> dict[str, curriculum.Item]:
    return curriculum.items(g.tenant.config)


def _title_of(key: str | None, fallback: str = "") -> str:
    item = _items().get(key or "")
    return item.title(_locale(), _fallbacks()) if item else fallback


@bp.app_template_filter("training_item")
def _training_item_filter(key: str | None, fallback: str = "") -> str:
    return _title_of(key, fallback)


@bp.app_template_filter("training_hours")
def _hours_filter(minutes: int) -> str:
    return format_decimal((minutes or 0) / 60, format="#,##0.#")


@bp.app_template_filter("training_isodate")
def _isodate_filter(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@bp.app_template_global("training_state_label")
def _state_label(state: str) -> str:
    return str(states.LABELS.get(state, state))


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(ZoneInfo(g.tenant.timezone))


def _form_errors_400(template: str, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), 400


# --------------------------------------------------------------------------- overview


@bp.route("/")
@coordinator_required
def index():  # noqa: ANN201
    now = utcnow()
    cycles = list(
        db.session.execute(
            select(TrainingCycle).order_by(TrainingCycle.start_date.desc(), TrainingCycle.id)
        ).scalars()
    )
    sessions = list(
        db.session.execute(select(TrainingSession).order_by(TrainingSession.starts_at)).scalars()
    )
    by_cycle: dict[uuid.UUID, list[TrainingSession]] = {}
    for s in sessions:
        by_cycle.setdefault(s.cycle_id, []).append(s)
    counts = {
        (cycle_id, state): n
        for cycle_id, state, n in db.session.execute(
            select(Enrolment.cycle_id, Enrolment.status, func.count()).group_by(
                Enrolment.cycle_id, Enrolment.status
            )
        ).all()
    }
    waiting_mentors = list(
        db.session.execute(
            select(Person)
            .where(Person.role == MENTOR, Person.state == states.ELIGIBLE)
            .order_by(Person.state_changed_at, Person.last_name)
        ).scalars()
    )
    on_waiting_list = set(
        db.session.execute(select(Enrolment.person_id).where(Enrolment.status == WAITING)).scalars()
    )
    in_training = list(
        db.session.execute(
            select(Person)
            .where(Person.role == MENTOR, Person.state == states.IN_TRAINING)
            .order_by(Person.last_name, Person.first_name)
        ).scalars()
    )
    progress = status.progress_for([*waiting_mentors, *in_training])
    to_record = _todos.sessions_to_record(now)
    rows = []
    for cycle in cycles:
        own = by_cycle.get(cycle.id, [])
        live = [s for s in own if s.status != CANCELLED]
        rows.append(
            {
                "cycle": cycle,
                "first": live[0].starts_at if live else None,
                "last": live[-1].starts_at if live else None,
                "sessions": len(live),
                "cancelled": len(own) - len(live),
                "enrolled": counts.get((cycle.id, ENROLLED), 0),
                "waiting": counts.get((cycle.id, WAITING), 0),
                "upcoming": any(s.ends_at > now for s in live),
            }
        )
    return render_template(
        "training/index.html",
        rows=rows,
        waiting_mentors=waiting_mentors,
        on_waiting_list=on_waiting_list,
        in_training=in_training,
        progress=progress,
        to_record=to_record,
        cycle_titles={c.id: c.title for c in cycles},
    )


@bp.route("/curriculum")
@coordinator_required
def curriculum_page():  # noqa: ANN201
    config = g.tenant.config
    return render_template(
        "training/curriculum.html",
        modules=curriculum.modules(config),
        workshops=curriculum.workshops(config),
        locale=_locale(),
        fallbacks=_fallbacks(),
        audience_labels=curriculum.AUDIENCE_LABELS,
    )


# --------------------------------------------------------------------------- planning


def _cycle_form(**kwargs: Any) -> CycleForm:
    config = g.tenant.config
    return CycleForm(
        modules=curriculum.modules(config),
        workshops=curriculum.workshops(config),
        locale=_locale(),
        **kwargs,
    )


def _plan_from(form: CycleForm) -> planning.CyclePlan | None:
    """The plan, or None after putting the rhythm's problems on their fields."""
    problems = rhythm_problems(
        form.weekdays.data or [],
        form.start_time.data,
        form.end_time.data,
        form.every_weeks.data,
    )
    if problems:
        fields = {"weekdays": form.weekdays, "end": form.end_time, "every_weeks": form.every_weeks}
        for problem in problems:
            target = fields.get(problem.field or "", form.start_time)
            target.errors = [*target.errors, problem.message]
        return None
    content = form.content.data
    if content == MODULES_CHOICE:
        order = [m.key for m in curriculum.modules(g.tenant.config)]
        chosen = set(form.modules.data)
        return planning.CyclePlan(
            title=form.title.data,
            kind=MODULES,
            start_date=form.start_date.data,
            rhythm=Rhythm(
                tuple(form.weekdays.data),
                form.start_time.data,
                form.end_time.data,
                form.every_weeks.data,
            ),
            module_keys=[k for k in order if k in chosen],
            count=form.count.data,
            location=form.location.data,
            capacity=form.capacity.data,
        )
    return planning.CyclePlan(
        title=form.title.data,
        kind=WORKSHOP,
        start_date=form.start_date.data,
        rhythm=Rhythm(
            tuple(form.weekdays.data),
            form.start_time.data,
            form.end_time.data,
            form.every_weeks.data,
        ),
        workshop_key=content.removeprefix(WORKSHOP_PREFIX),
        count=form.count.data,
        location=form.location.data,
        capacity=form.capacity.data,
    )


def _put_problems(form: CycleForm, problems: Any) -> list[str]:
    """Problems tied to a field go there; the others are returned for the page."""
    fields = {"count": form.count, "weekdays": form.weekdays, "end": form.end_time}
    general = []
    for problem in problems:
        # Not every session fits: the number of sessions (or the rhythm) must change.
        name = "count" if problem.code == "not_all_placed" else problem.field or ""
        target = fields.get(name)
        if target is not None:
            target.errors = [*target.errors, problem.message]
        else:
            general.append(problem.message)
    return general


@bp.route("/cycles/new", methods=["GET", "POST"])
@coordinator_required
def new_cycle():  # noqa: ANN201
    form = _cycle_form()
    if request.method == "GET":
        form.modules.data = [m.key for m in curriculum.modules(g.tenant.config) if m.required]
        form.every_weeks.data = 1
        return render_template("training/cycle_new.html", form=form, preview=None)
    action = request.form.get("action", "preview")
    if not form.validate():
        return _form_errors_400("training/cycle_new.html", form=form, preview=None)
    plan = _plan_from(form)
    if plan is None:
        return _form_errors_400("training/cycle_new.html", form=form, preview=None)
    result = planning.preview(g.tenant, plan, _locale())
    if not result.ok:
        errors = _put_problems(form, [p for p in result.problems if p.severity == "error"])
        return _form_errors_400(
            "training/cycle_new.html", form=form, preview=result, general_errors=errors
        )
    if action != "save":
        return render_template(
            "training/cycle_new.html",
            form=form,
            preview=result,
            skip_labels=SKIP_REASON_LABELS,
        )
    cycle = planning.create_cycle(g.tenant, plan, language=_locale(), by=current_user)
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


def _enrol_form(cycle: TrainingCycle, **kwargs: Any) -> EnrolForm:
    form = EnrolForm(**kwargs)
    people = enrolment.candidates(cycle)
    form.person_id.choices = [("", _("Choose a person"))] + [
        (str(p.id), f"{p.full_name} ({states.LABELS.get(p.state, p.state)})") for p in people
    ]
    form.session_id.choices = [("", _("The whole cycle"))] + [
        (
            str(s.id),
            _(
                "Session %(number)s only: %(title)s",
                number=s.number,
                title=_title_of(s.module_key, cycle.title),
            ),
        )
        for s in cycle.sessions
        if s.status != CANCELLED
    ]
    return form


def _render_cycle(cycle: TrainingCycle, status_code: int = 200, **forms: Any):  # noqa: ANN202
    rows = enrolment.cycle_enrolments(cycle)
    taken = enrolment.occupancy(cycle)
    people = {r.person_id for r in rows}
    persons = (
        {p.id: p for p in db.session.execute(select(Person).where(Person.id.in_(people))).scalars()}
        if people
        else {}
    )
    sessions = {s.id: s for s in cycle.sessions}
    forms.setdefault("enrol_form", _enrol_form(cycle))
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
            enrolled=[r for r in rows if r.status == ENROLLED],
            waiting=[r for r in rows if r.status == WAITING],
            persons=persons,
            sessions_by_id=sessions,
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
def cycle(cycle_id: uuid.UUID):  # noqa: ANN201
    return _render_cycle(_one(TrainingCycle, cycle_id))


@bp.route("/cycles/<uuid:cycle_id>/print")
@coordinator_required
def cycle_print(cycle_id: uuid.UUID):  # noqa: ANN201
    cycle = _one(TrainingCycle, cycle_id)
    return render_template(
        "training/cycle_print.html",
        cycle=cycle,
        rhythm_text=_rhythm_text(cycle),
        printed_at=utcnow(),
    )


@bp.route("/cycles/<uuid:cycle_id>/settings", methods=["POST"])
@coordinator_required
def cycle_settings(cycle_id: uuid.UUID):  # noqa: ANN201
    cycle = _one(TrainingCycle, cycle_id)
    form = CycleSettingsForm()
    if not form.validate():
        return _render_cycle(cycle, 400, settings_form=form)
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


@bp.route("/cycles/<uuid:cycle_id>/enrol", methods=["POST"])
@coordinator_required
def enrol(cycle_id: uuid.UUID):  # noqa: ANN201
    cycle = _one(TrainingCycle, cycle_id)
    form = _enrol_form(cycle)
    if not form.validate():
        return _render_cycle(cycle, 400, enrol_form=form)
    person = _one(Person, uuid.UUID(form.person_id.data))
    session = None
    if form.session_id.data:
        session = _one(TrainingSession, uuid.UUID(form.session_id.data))
    try:
        row = enrolment.enrol(cycle, person, session=session, by=current_user)
    except enrolment.EnrolmentError as exc:
        target = getattr(form, exc.field or "person_id", form.person_id)
        target.errors = [*target.errors, exc.message]
        return _render_cycle(cycle, 400, enrol_form=form)
    if row.status == WAITING:
        flash(_("No place left: %(name)s is on the waiting list.", name=person.full_name), "info")
    else:
        flash(_("%(name)s is enrolled.", name=person.full_name), "success")
    return redirect(url_for("training.cycle", cycle_id=cycle.id) + "#participants")


@bp.route("/enrolments/<uuid:enrolment_id>/withdraw", methods=["POST"])
@coordinator_required
def withdraw(enrolment_id: uuid.UUID):  # noqa: ANN201
    row = _one(Enrolment, enrolment_id)
    form = ActionForm()
    if not form.validate():
        abort(400)
    promoted = enrolment.withdraw(row, by=current_user)
    message = _("Withdrawn from the cycle.")
    if promoted:
        message += " " + ngettext(
            "%(num)d person moved up from the waiting list.",
            "%(num)d people moved up from the waiting list.",
            len(promoted),
        )
    flash(message, "success")
    return redirect(url_for("training.cycle", cycle_id=row.cycle_id) + "#participants")


# --------------------------------------------------------------------------- sessions


@bp.route("/sessions/<uuid:session_id>/move", methods=["GET", "POST"])
@coordinator_required
def move_session(session_id: uuid.UUID):  # noqa: ANN201
    session = _one(TrainingSession, session_id)
    start, end = _local(session.starts_at), _local(session.ends_at)
    if request.method == "GET":
        form = MoveForm(
            formdata=None,
            date=start.date(),
            start_time=start.time().replace(tzinfo=None),
            end_time=end.time().replace(tzinfo=None),
            location=session.location,
        )
        return render_template("training/session_move.html", session=session, form=form)
    form = MoveForm()
    if not form.validate():
        return _form_errors_400("training/session_move.html", session=session, form=form)
    try:
        changed = planning.move_session(
            g.tenant,
            session,
            form.date.data,
            form.start_time.data,
            form.end_time.data,
            location=form.location.data,
            by=current_user,
        )
    except ScheduleError as exc:
        fields = {"end": form.end_time, "date": form.date}
        for problem in exc.problems:
            target = fields.get(problem.field or "", form.start_time)
            target.errors = [*target.errors, problem.message]
        return _form_errors_400("training/session_move.html", session=session, form=form)
    if changed:
        flash(_("The session is moved; its participants will be told."), "success")
        for note in planning.day_notes(g.tenant, form.date.data, _locale()):
            flash(_("Note: %(why)s.", why=note.message), "info")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("training.cycle", cycle_id=session.cycle_id) + "#sessions")


@bp.route("/sessions/<uuid:session_id>/cancel", methods=["GET", "POST"])
@coordinator_required
def cancel_session(session_id: uuid.UUID):  # noqa: ANN201
    session = _one(TrainingSession, session_id)
    form = CancelForm()
    if request.method == "GET" or session.status == CANCELLED:
        return render_template("training/session_cancel.html", session=session, form=form)
    if not form.validate():
        return _form_errors_400("training/session_cancel.html", session=session, form=form)
    planning.cancel_session(session, reason=form.reason.data)
    flash(_("The session is cancelled; its participants will be told."), "success")
    return redirect(url_for("training.cycle", cycle_id=session.cycle_id) + "#sessions")


@bp.route("/sessions/<uuid:session_id>/attendance", methods=["GET", "POST"])
@coordinator_required
def attendance(session_id: uuid.UUID):  # noqa: ANN201
    session = _one(TrainingSession, session_id)
    people = enrolment.participants(session)
    recorded = enrolment.attendance_of(session)
    extra = set(recorded) - {p.id for p in people}
    if extra:
        people += list(db.session.execute(select(Person).where(Person.id.in_(extra))).scalars())
    form = AttendanceForm()
    form.present.choices = [(str(p.id), p.full_name) for p in people]
    context = {"session": session, "people": people, "recorded": recorded}
    if request.method == "GET":
        form.present.data = [str(pid) for pid, came in recorded.items() if came]
        return render_template("training/attendance.html", form=form, **context)
    if not form.validate():
        return _form_errors_400("training/attendance.html", form=form, **context)
    try:
        enrolment.record_attendance(
            session, {uuid.UUID(v) for v in form.present.data or []}, by=current_user
        )
    except enrolment.EnrolmentError as exc:
        form.present.errors = [*form.present.errors, exc.message]
        return _form_errors_400("training/attendance.html", form=form, **context)
    flash(_("Attendance is saved."), "success")
    return redirect(url_for("training.cycle", cycle_id=session.cycle_id) + "#sessions")


# --------------------------------------------------------------------------- a person


@bp.route("/people/<uuid:person_id>")
@coordinator_required
def person(person_id: uuid.UUID):  # noqa: ANN201
    someone = _one(Person, person_id)
    return _render_person(someone)


def _render_person(someone: Person, new_link: str | None = None):  # noqa: ANN202
    prog = status.progress_for([someone])[someone.id]
    stmt = (
        select(Enrolment, TrainingCycle)
        .join(
            TrainingCycle,
            and_(
                TrainingCycle.tenant_id == Enrolment.tenant_id,
                TrainingCycle.id == Enrolment.cycle_id,
            ),
        )
        .where(Enrolment.person_id == someone.id)
        .order_by(TrainingCycle.start_date.desc())
    )
    places = db.session.execute(stmt).all()
    links = feeds.active_tokens(PERSON_FEED, someone)
    return render_template(
        "training/person.html",
        person=someone,
        progress=prog,
        places=places,
        link=links[-1] if links else None,
        new_link=new_link,
        action_form=ActionForm(),
    )


@bp.route("/people/<uuid:person_id>/calendar-link", methods=["POST"])
@coordinator_required
def person_link(person_id: uuid.UUID):  # noqa: ANN201
    someone = _one(Person, person_id)
    if not ActionForm().validate():
        abort(400)
    _row, token = feeds.issue_person_token(someone, by=current_user)
    return _render_person(someone, new_link=_feed_url(token))


@bp.route("/people/<uuid:person_id>/calendar-link/revoke", methods=["POST"])
@coordinator_required
def person_link_revoke(person_id: uuid.UUID):  # noqa: ANN201
    someone = _one(Person, person_id)
    if not ActionForm().validate():
        abort(400)
    feeds.revoke(feeds.active_tokens(PERSON_FEED, someone))
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("training.person", person_id=someone.id))


# --------------------------------------------------------------------------- calendars


def _feed_url(token: str) -> str:
    return url_for("training.feed", token=token, _external=True)


@bp.route("/calendar")
@coordinator_required
def calendar():  # noqa: ANN201
    links = feeds.active_tokens(BRANCH_FEED)
    return render_template(
        "training/calendar.html",
        link=links[-1] if links else None,
        new_link=None,
        action_form=ActionForm(),
    )


@bp.route("/calendar/link", methods=["POST"])
@coordinator_required
def calendar_link():  # noqa: ANN201
    if not ActionForm().validate():
        abort(400)
    row, token = feeds.issue_branch_token(_locale(), by=current_user)
    return render_template(
        "training/calendar.html", link=row, new_link=_feed_url(token), action_form=ActionForm()
    )


@bp.route("/calendar/revoke", methods=["POST"])
@coordinator_required
def calendar_revoke():  # noqa: ANN201
    if not ActionForm().validate():
        abort(400)
    feeds.revoke(feeds.active_tokens(BRANCH_FEED))
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("training.calendar"))


@bp.route("/calendar/<token>.ics")
@personal_link  # the secret link is the key; another branch's link gives 404
def feed(token: str):  # noqa: ANN201
    """The feed itself: no login, the secret link is the key (404 when unknown or revoked)."""
    row = feeds.find(token)
    if row is None:
        abort(404)
    data = feeds.feed_for(g.tenant, row)
    response = Response(data, content_type=FEED_CONTENT_TYPE)
    response.set_etag(hashlib.sha256(data).hexdigest())
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = 'inline; filename="training.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response.make_conditional(request)
