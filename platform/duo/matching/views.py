"""Matching pages of a branch: sessions, the whole-pool suggestion, and the decisions.

Thin views over :mod:`duo.matching.pool`, ``session`` and ``decisions``; what the session
page shows is built by :mod:`duo.matching.presenter`. The page recomputes the suggestion on
every visit (it is deterministic and takes milliseconds), so "re-run" is a reload and every
lock, exclusion or acceptance redirects back to a fresh suggestion. Every decision stays the
coordinator's: nothing is accepted without their click.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, lazyload, selectinload

from duo.core.auth.access import coordinator_required
from duo.core.auth.models import User
from duo.core.dashboard.todos import Todo
from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.matching import decisions
from duo.matching import pool as matching_pool
from duo.matching import session as matching_session
from duo.matching.forms import (
    AcceptForm,
    CloseSessionForm,
    ConstraintForm,
    RemoveConstraintForm,
    StartSessionForm,
)
from duo.matching.models import LOCK, MatchingConstraint, MatchingSession
from duo.matching.presenter import (
    Presenter,
    constraint_rows,
    group_unmatched,
    number_formatter,
    page_gettext,
)
from duo.people import listing, next_step
from duo.people import states as person_states
from duo.people.models import MENTOR, Person

bp = Blueprint("matching", __name__, url_prefix="/<tenant>/matching", template_folder="templates")


#: Shown when the database refused an acceptance another request made impossible meanwhile.
_CHANGED = _l(
    "Someone else changed the pool at the same moment. Nothing was saved; "
    "the suggestion has been refreshed."
)


def _users(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    stmt = select(User).where(User.id.in_(ids)).options(lazyload(User.roles))
    return {u.id: u for u in db.session.execute(stmt).scalars()}


#: A duo's two people, aliased once rather than on every visit (an alias copies every
#: column of Person).
_MENTEE, _MENTOR = aliased(Person, name="mentee"), aliased(Person, name="mentor")


def _session_duos(session: MatchingSession) -> list[tuple[Duo, Person, Person]]:
    mentee, mentor = _MENTEE, _MENTOR
    stmt = (
        select(Duo, mentee, mentor)
        .join(mentee, (mentee.tenant_id == Duo.tenant_id) & (mentee.id == Duo.mentee_id))
        .join(mentor, (mentor.tenant_id == Duo.tenant_id) & (mentor.id == Duo.mentor_id))
        .where(Duo.matching_session_id == session.id)
        .order_by(Duo.proposed_at, Duo.id)
    )
    return [tuple(row) for row in db.session.execute(stmt).all()]


def _load_session(session_id: uuid.UUID) -> MatchingSession:
    """The session of the current branch (404 otherwise), with who opened and closed it."""
    session = db.session.execute(
        select(MatchingSession)
        .options(
            joinedload(MatchingSession.opened_by).lazyload(User.roles),
            joinedload(MatchingSession.closed_by).lazyload(User.roles),
        )
        .where(MatchingSession.id == session_id)
    ).scalar_one_or_none()
    if session is None:
        abort(404)
    return session


def _page_number() -> int:
    """The ``?page=`` asked for; anything unreadable is the first page."""
    page = request.args.get("page", 1, type=int)
    return page if isinstance(page, int) and page >= 1 else 1


def _back(session: MatchingSession, form: Any = None):
    """Back to the session page the coordinator was on (the form's ``page``)."""
    page = getattr(getattr(form, "page", None), "data", None)
    if isinstance(page, int) and page > 1:
        return redirect(url_for("matching.session", session_id=session.id, page=page))
    return redirect(url_for("matching.session", session_id=session.id))


def _session_page(
    session: MatchingSession,
    *,
    status: int = 200,
    errors: list[str] | None = None,
):
    """The session page: for an open session, a fresh run of the suggestion, explained.

    The suggested pairs come a page at a time (``?page=``), each explained on the page but
    folded; an alternative is explained on its mentee's page (:func:`mentee_view`). The
    people left unmatched are grouped by reason.
    """
    locale = str(get_locale() or g.tenant.default_locale)
    context: dict[str, Any] = {
        "session": session,
        "errors": errors or [],
        "duos": _session_duos(session),
        "duo_states": duo_states,
        "num": number_formatter(locale),
    }
    known = [session.opened_by, session.closed_by]
    if session.is_open:
        run = matching_session.run_session(session, g.tenant)
        presenter = Presenter(run, locale)
        known += [c.by for c in run.constraints]
        unmatched_mentees = presenter.unmatched_mentees()
        unmatched_mentors = presenter.unmatched_mentors()
        context.update(
            run=run,
            pairs=presenter.pairs(_page_number()),
            unmatched_mentees=unmatched_mentees,
            unmatched_mentee_groups=group_unmatched(unmatched_mentees),
            unmatched_mentors=unmatched_mentors,
            unmatched_mentor_groups=group_unmatched(unmatched_mentors),
            problems=presenter.problems(),
            constraints=constraint_rows(run.constraints, run.pool),
            settings=run.settings,
            lock_kind=LOCK,
            criterion_labels=presenter.labels,
            constrain_url=url_for("matching.constrain", session_id=session.id),
        )
        users = {u.id: u for u in known if u is not None}
    else:
        # The record of a closed session: every lock and exclusion, removed ones too.
        record = matching_session.all_constraints(session)
        user_ids = {session.opened_by_user_id, session.closed_by_user_id}
        user_ids |= {c.by_user_id for c in record} | {c.removed_by_user_id for c in record}
        context.update(constraints=constraint_rows(record, None), lock_kind=LOCK)
        users = _users({i for i in user_ids if i is not None})
    context["users"] = users
    context.update(page_gettext())
    return render_template("matching/session.html", **context), status


# --------------------------------------------------------------------------- pages


@bp.route("/")
@coordinator_required
def index():
    sessions = list(
        db.session.execute(
            select(MatchingSession)
            .options(selectinload(MatchingSession.opened_by).lazyload(User.roles))
            .order_by(MatchingSession.held_on.desc(), MatchingSession.opened_at.desc())
            .limit(50)
        ).scalars()
    )
    waiting, oldest = matching_pool.waiting_summary()
    return render_template(
        "matching/index.html",
        sessions=sessions,
        open_session=next((s for s in sessions if s.is_open), None),
        waiting=waiting,
        oldest=oldest,
    )


@bp.route("/sessions", methods=["POST"])
@coordinator_required
def start():
    form = StartSessionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        session = matching_session.start_session(g.tenant, by=current_user)
    except IntegrityError:  # a colleague started one at the same moment: join theirs
        db.session.rollback()
        session = matching_session.open_session_of_branch()
        if session is None:
            abort(409)
    return redirect(url_for("matching.session", session_id=session.id))


@bp.route("/sessions/<uuid:session_id>", endpoint="session")
@coordinator_required
def session_view(session_id: uuid.UUID):
    return _session_page(_load_session(session_id))


@bp.route("/sessions/<uuid:session_id>/mentees/<uuid:mentee_id>", endpoint="mentee")
@coordinator_required
def mentee_view(session_id: uuid.UUID, mentee_id: uuid.UUID):
    """One mentee of an open session: their suggested pair and alternatives, explained.

    The session page lists alternatives by score only; this small page is what opening them
    shows, with the score per criterion of each and a button to lock one instead.
    """
    session = _load_session(session_id)
    if not session.is_open:
        abort(404)
    run = matching_session.run_session(session, g.tenant)
    person = run.pool.people.get(mentee_id)
    if person is None or not run.pool.has_mentee(mentee_id):
        abort(404)
    locale = str(get_locale() or g.tenant.default_locale)
    presenter = Presenter(run, locale)
    context = {
        "session": session,
        "mentee": person,
        "pair": presenter.pair_of(mentee_id),
        "reason": presenter.unmatched_reason(mentee_id),
        "waiting_weeks": presenter.weeks(mentee_id),
        "alternatives": presenter.explained_alternatives(mentee_id),
        "num": number_formatter(locale),
        "constrain_url": url_for("matching.constrain", session_id=session.id),
    }
    context.update(page_gettext())
    return render_template("matching/mentee.html", **context)


def _invalid(session: MatchingSession, form: Any):
    """The session page again, with what is wrong in the form sent."""
    return _session_page(
        session, status=400, errors=[str(e) for errs in form.errors.values() for e in errs]
    )


def _refused(session_id: uuid.UUID, problems: list[str]):
    """The session page again after a refused change: undone, as the database has it now."""
    db.session.rollback()
    return _session_page(_load_session(session_id), status=400, errors=problems)


@bp.route("/sessions/<uuid:session_id>/accept", methods=["POST"])
@coordinator_required
def accept(session_id: uuid.UUID):
    session = _load_session(session_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        return _invalid(session, form)
    try:
        duos = decisions.accept(
            session,
            form.chosen(),
            g.tenant,
            by=current_user,
            suggested=form.suggested.data or [],
        )
    except matching_pool.MatchingError as exc:
        return _refused(session_id, exc.problems)
    except IntegrityError:
        # Another coordinator accepted a duo with one of these people at the same moment
        # (the database keeps one open duo per person).
        return _refused(session_id, [str(_CHANGED)])
    flash(
        ngettext(
            "%(num)d duo proposed. Plan the first meeting from the duo's page.",
            "%(num)d duos proposed. Plan their first meetings from the duos' pages.",
            len(duos),
        ),
        "success",
    )
    return _back(session, form)


@bp.route("/sessions/<uuid:session_id>/constraints", methods=["POST"])
@coordinator_required
def constrain(session_id: uuid.UUID):
    session = _load_session(session_id)
    form = ConstraintForm()
    if not form.validate_on_submit():
        return _invalid(session, form)
    kind, pair = form.parsed()
    pool = matching_pool.load_pool(g.tenant)
    try:
        decisions.add_constraint(
            session, kind, pair, pool, matching_pool.Settings.of(g.tenant), by=current_user
        )
    except matching_pool.MatchingError as exc:
        return _refused(session_id, exc.problems)
    names = {"mentee": pool.people[pair[0]].full_name, "mentor": pool.people[pair[1]].full_name}
    if kind == LOCK:
        message = _("%(mentee)s and %(mentor)s are locked; the others were re-optimised.", **names)
    else:
        message = _("%(mentee)s and %(mentor)s will not be suggested together.", **names)
    flash(message, "success")
    return _back(session, form)


@bp.route("/sessions/<uuid:session_id>/constraints/<uuid:constraint_id>/remove", methods=["POST"])
@coordinator_required
def remove_constraint(session_id: uuid.UUID, constraint_id: uuid.UUID):
    session = _load_session(session_id)
    constraint = db.session.execute(
        select(MatchingConstraint).where(
            MatchingConstraint.id == constraint_id, MatchingConstraint.session_id == session.id
        )
    ).scalar_one_or_none()
    if constraint is None:
        abort(404)
    form = RemoveConstraintForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        decisions.remove_constraint(constraint, by=current_user)
    except matching_pool.MatchingError as exc:
        return _session_page(session, status=400, errors=exc.problems)
    flash(_("Removed; the suggestion was re-optimised."), "success")
    return _back(session, form)


@bp.route("/sessions/<uuid:session_id>/close", methods=["POST"])
@coordinator_required
def close(session_id: uuid.UUID):
    session = _load_session(session_id)
    if not CloseSessionForm().validate_on_submit():
        abort(400)
    try:
        matching_session.close_session(session, by=current_user)
    except matching_pool.MatchingError as exc:
        return _session_page(session, status=400, errors=exc.problems)
    flash(_("The matching session is closed."), "success")
    return redirect(url_for("matching.index"))


# --------------------------------------------------------------------------- dashboard


def waiting_todos(tenant: Tenant) -> list[Todo]:
    count, oldest = matching_pool.waiting_summary()
    if not count:
        return []
    weeks = 0
    if oldest is not None:
        waited = matching_pool.branch_today(tenant) - matching_pool.local_date(oldest, tenant)
        weeks = max(0, waited.days) // 7
    label = _(
        "%(mentees)s (the longest for %(weeks)s)",
        mentees=ngettext(
            "%(num)d mentee waiting for a mentor", "%(num)d mentees waiting for a mentor", count
        ),
        weeks=ngettext("%(num)d week", "%(num)d weeks", weeks),
    )
    return [
        Todo(
            label=label, count=count, url=url_for("matching.index", tenant=tenant.slug), urgency=20
        )
    ]


def free_mentors_todos(tenant: Tenant) -> list[Todo]:
    """Trained mentors without a mentee yet: the matching step covers mentors too."""
    count = listing.count_of(MENTOR, person_states.TRAINED)  # shared with the other to-dos
    label = ngettext(
        "%(num)d trained mentor waiting for a mentee",
        "%(num)d trained mentors waiting for a mentee",
        count,
    )
    url = url_for("matching.index", tenant=tenant.slug)
    return [Todo(label=label, count=count, url=url, urgency=40)]


def matching_action(person: Person) -> list[next_step.Action]:
    """Next step of a mentee or mentor in the pool: the matching sessions."""
    return [next_step.Action(str(_l("Go to the matching sessions")), url_for("matching.index"))]
