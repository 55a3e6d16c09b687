"""Matching pages of a branch: sessions, the whole-pool suggestion, and the decisions.

Thin views over :mod:`duo.matching.pool`, ``session`` and ``decisions``; what the session
page shows is built by :mod:`duo.matching.presenter`. The page recomputes the suggestion on
every visit (it is deterministic and takes milliseconds), so "re-run" is a reload and every
lock, exclusion or acceptance redirects back to a fresh suggestion. Every decision stays the
coordinator's: nothing is accepted without their click.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_decimal_symbol
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, lazyload, selectinload

from duo.core.auth.access import coordinator_required
from duo.core.auth.models import User
from duo.core.dashboard import navigation
from duo.core.dashboard.todos import Todo, provider
from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.matching import decisions
from duo.matching import pool as matching_pool
from duo.matching import session as matching_session
from duo.matching.explain import criterion_label, criterion_sentence, unmatched_sentence
from duo.matching.forms import (
    AcceptForm,
    CloseSessionForm,
    ConstraintForm,
    RemoveConstraintForm,
    StartSessionForm,
    pair_key,
)
from duo.matching.models import LOCK, MatchingConstraint, MatchingSession
from duo.matching.scoring import CRITERIA, CriterionScore
from duo.people import next_step
from duo.people import states as person_states
from duo.people.models import MENTEE, MENTOR, Person

bp = Blueprint("matching", __name__, url_prefix="/<tenant>/matching", template_folder="templates")

navigation.register("matching.index", _l("Matching"), 40)

#: Shown when the database refused an acceptance another request made impossible meanwhile.
_CHANGED = _l(
    "Someone else changed the pool at the same moment. Nothing was saved; "
    "the suggestion has been refreshed."
)
#: Reason shown for people of the pool who cannot be matched for lack of an intake profile.
_NO_PROFILE = _l("No intake profile with languages yet: complete the intake to match them")


# --------------------------------------------------------------------------- presentation


def number_formatter(locale: str):  # noqa: ANN201
    """Points with at most one decimal and the locale's decimal sign ("71.5", "71,5").

    Points never reach a thousand, so no grouping is needed; the page shows thousands of
    numbers, and Babel's general formatting would cost more than the rest of the page.
    """
    decimal = get_decimal_symbol(locale)

    def points(value: float) -> str:
        text = f"{value:.1f}".removesuffix(".0")
        return "0" if text == "-0" else text.replace(".", decimal)

    return points


def page_gettext() -> dict[str, Any]:
    """``gettext``/``ngettext`` for one rendering of a long page, the catalogue looked up once.

    Jinja's i18n extension resolves ``gettext`` and ``ngettext`` (and ``_``) from the template
    context. The session page of a large pool calls them thousands of times, and Flask-Babel
    finds the locale and its catalogue again on every call; these do it once per page and
    otherwise behave as Jinja's "newstyle" gettext (autoescaped, always formatted).
    """
    translations = get_translations()

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}


@dataclass(frozen=True)
class CriterionRow:
    criterion: str
    label: str
    points: float
    max_points: float
    sentence: str


@dataclass(frozen=True)
class AlternativeRow:
    """Another mentor for a mentee: the total only (locking it shows the details)."""

    mentor: Person
    key: str
    score: float


@dataclass(frozen=True)
class PairRow:
    key: str
    mentee: Person
    mentor: Person
    score: float
    max_score: float
    bonus: float
    waiting_weeks: int
    criteria: list[CriterionRow]
    alternatives: list[AlternativeRow]
    lock: MatchingConstraint | None


@dataclass(frozen=True)
class UnmatchedRow:
    person: Person
    reason: str
    waiting_weeks: int | None = None
    alternatives: list[AlternativeRow] = field(default_factory=list)


@dataclass(frozen=True)
class ConstraintRow:
    constraint: MatchingConstraint
    mentee_name: str
    mentor_name: str
    in_pool: bool


class _Presenter:
    """Turns a run's ids, codes and numbers into rows with people and sentences."""

    def __init__(self, run: matching_session.Run, locale: str) -> None:
        self.run = run
        self.locale = locale
        self.people = run.pool.people
        self.labels = {name: criterion_label(name, locale) for name in CRITERIA}
        self._sentences: dict[object, str] = {}

    def sentence(self, detail: CriterionScore) -> str:
        """The criterion's sentence; equal codes and params are written once per page."""
        try:
            key = (detail.code, tuple(sorted(detail.params.items())))
            hash(key)
        except TypeError:
            return criterion_sentence(detail, self.locale)
        if key not in self._sentences:
            self._sentences[key] = criterion_sentence(detail, self.locale)
        return self._sentences[key]

    def criteria(self, details: tuple[CriterionScore, ...]) -> list[CriterionRow]:
        return [
            CriterionRow(
                d.criterion, self.labels[d.criterion], d.points, d.max_points, self.sentence(d)
            )
            for d in details
        ]

    def alternatives(self, mentee_id: uuid.UUID) -> list[AlternativeRow]:
        return [
            AlternativeRow(
                self.people[alt.mentor_id], pair_key(mentee_id, alt.mentor_id), alt.score
            )
            for alt in self.run.suggestion.alternatives.get(mentee_id, ())
        ]

    def weeks(self, mentee_id: uuid.UUID) -> int:
        return max(0, (self.run.today - self.run.pool.waiting_since[mentee_id]).days) // 7

    def pairs(self) -> list[PairRow]:
        locks = {c.pair: c for c in self.run.constraints if c.kind == LOCK}
        rows = []
        for pair in self.run.suggestion.pairs:
            criteria = self.criteria(pair.criteria)
            rows.append(
                PairRow(
                    key=pair_key(pair.mentee_id, pair.mentor_id),
                    mentee=self.people[pair.mentee_id],
                    mentor=self.people[pair.mentor_id],
                    score=pair.score,
                    max_score=sum(c.max_points for c in criteria),
                    bonus=pair.bonus,
                    waiting_weeks=self.weeks(pair.mentee_id),
                    criteria=criteria,
                    alternatives=self.alternatives(pair.mentee_id),
                    lock=locks.get((pair.mentee_id, pair.mentor_id)),
                )
            )
        # Longest-waiting mentees first: the order coordinators go through the list in.
        rows.sort(key=lambda r: (-r.waiting_weeks, r.mentee.last_name, r.mentee.first_name))
        return rows

    def unmatched_mentees(self) -> list[UnmatchedRow]:
        rows = [
            UnmatchedRow(
                self.people[u.person_id],
                unmatched_sentence(u, self.locale),
                self.weeks(u.person_id),
                self.alternatives(u.person_id),
            )
            for u in self.run.suggestion.unmatched_mentees
        ]
        rows += [
            UnmatchedRow(p, str(_NO_PROFILE), self.weeks(p.id))
            for p in self.run.pool.without_profile
            if p.role == "mentee"
        ]
        rows.sort(key=lambda r: -(r.waiting_weeks or 0))
        return rows

    def unmatched_mentors(self) -> list[UnmatchedRow]:
        rows = [
            UnmatchedRow(self.people[u.person_id], unmatched_sentence(u, self.locale))
            for u in self.run.suggestion.unmatched_mentors
        ]
        rows += [
            UnmatchedRow(p, str(_NO_PROFILE))
            for p in self.run.pool.without_profile
            if p.role == "mentor"
        ]
        return rows

    def problems(self) -> list[str]:
        out = []
        for problem in self.run.suggestion.problems:
            mentee = self.people.get(problem.mentee_id)
            mentor = self.people.get(problem.mentor_id)
            out.append(
                _(
                    "Lock %(mentee)s and %(mentor)s not kept: %(reason)s",
                    mentee=mentee.full_name if mentee else "?",
                    mentor=mentor.full_name if mentor else "?",
                    reason=unmatched_sentence(problem, self.locale),
                )
            )
        return out


def _constraint_rows(
    constraints: Sequence[MatchingConstraint], pool: matching_pool.Pool | None
) -> list[ConstraintRow]:
    """Rows for a session's constraints; names of people not in the pool in one query."""
    people = pool.people if pool is not None else {}
    names = {p.id: p.full_name for p in people.values()}
    missing = {pid for c in constraints for pid in (c.mentee_id, c.mentor_id) if pid not in names}
    if missing:
        found = db.session.execute(select(Person).where(Person.id.in_(missing))).scalars()
        names.update({p.id: p.full_name for p in found})
    return [
        ConstraintRow(
            c,
            names.get(c.mentee_id, "?"),
            names.get(c.mentor_id, "?"),
            pool is not None and pool.has_mentee(c.mentee_id) and pool.has_mentor(c.mentor_id),
        )
        for c in constraints
    ]


def _users(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    stmt = select(User).where(User.id.in_(ids)).options(lazyload(User.roles))
    return {u.id: u for u in db.session.execute(stmt).scalars()}


def _session_duos(session: MatchingSession) -> list[tuple[Duo, Person, Person]]:
    mentee, mentor = aliased(Person), aliased(Person)
    stmt = (
        select(Duo, mentee, mentor)
        .join(mentee, (mentee.tenant_id == Duo.tenant_id) & (mentee.id == Duo.mentee_id))
        .join(mentor, (mentor.tenant_id == Duo.tenant_id) & (mentor.id == Duo.mentor_id))
        .where(Duo.matching_session_id == session.id)
        .order_by(Duo.proposed_at, Duo.id)
    )
    return [tuple(row) for row in db.session.execute(stmt).all()]  # type: ignore[misc]


def _load_session(session_id: uuid.UUID) -> MatchingSession:
    session = db.session.execute(
        select(MatchingSession).where(MatchingSession.id == session_id)
    ).scalar_one_or_none()
    if session is None:
        abort(404)
    return session


def _session_page(
    session: MatchingSession,
    *,
    status: int = 200,
    errors: list[str] | None = None,
):  # noqa: ANN202
    """The session page: for an open session, a fresh run of the suggestion, explained."""
    locale = str(get_locale() or g.tenant.default_locale)
    context: dict[str, Any] = {
        "session": session,
        "errors": errors or [],
        "duos": _session_duos(session),
        "duo_states": duo_states,
        "num": number_formatter(locale),
    }
    user_ids = {session.opened_by_user_id, session.closed_by_user_id}
    if session.is_open:
        run = matching_session.run_session(session, g.tenant)
        presenter = _Presenter(run, locale)
        user_ids |= {c.by_user_id for c in run.constraints}
        context.update(
            run=run,
            pairs=presenter.pairs(),
            unmatched_mentees=presenter.unmatched_mentees(),
            unmatched_mentors=presenter.unmatched_mentors(),
            problems=presenter.problems(),
            constraints=_constraint_rows(run.constraints, run.pool),
            settings=run.settings,
            lock_kind=LOCK,
            criterion_labels=presenter.labels,
            constrain_url=url_for("matching.constrain", session_id=session.id),
        )
    else:
        # The record of a closed session: every lock and exclusion, removed ones too.
        record = matching_session.all_constraints(session)
        user_ids |= {c.by_user_id for c in record} | {c.removed_by_user_id for c in record}
        context.update(constraints=_constraint_rows(record, None), lock_kind=LOCK)
    context["users"] = _users({i for i in user_ids if i is not None})
    context.update(page_gettext())
    return render_template("matching/session.html", **context), status


# --------------------------------------------------------------------------- pages


@bp.route("/")
@coordinator_required
def index():  # noqa: ANN201
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
def start():  # noqa: ANN201
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
def session_view(session_id: uuid.UUID):  # noqa: ANN201
    return _session_page(_load_session(session_id))


@bp.route("/sessions/<uuid:session_id>/accept", methods=["POST"])
@coordinator_required
def accept(session_id: uuid.UUID):  # noqa: ANN201
    session = _load_session(session_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        errors = [e for errs in form.errors.values() for e in errs]
        return _session_page(session, status=400, errors=[str(e) for e in errors])
    try:
        duos = decisions.accept(
            session,
            form.chosen(),
            g.tenant,
            by=current_user,
            suggested=form.suggested.data or [],
        )
    except matching_pool.MatchingError as exc:
        db.session.rollback()
        return _session_page(_load_session(session_id), status=400, errors=exc.problems)
    except IntegrityError:
        # Another coordinator accepted a duo with one of these people at the same moment
        # (the database keeps one open duo per person).
        db.session.rollback()
        return _session_page(_load_session(session_id), status=400, errors=[str(_CHANGED)])
    flash(
        ngettext(
            "%(num)d duo proposed. Plan the first meeting from the duo's page.",
            "%(num)d duos proposed. Plan their first meetings from the duos' pages.",
            len(duos),
        ),
        "success",
    )
    return redirect(url_for("matching.session", session_id=session.id))


@bp.route("/sessions/<uuid:session_id>/constraints", methods=["POST"])
@coordinator_required
def constrain(session_id: uuid.UUID):  # noqa: ANN201
    session = _load_session(session_id)
    form = ConstraintForm()
    if not form.validate_on_submit():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _session_page(session, status=400, errors=errors)
    kind, pair = form.parsed()
    pool = matching_pool.load_pool(g.tenant)
    try:
        decisions.add_constraint(
            session, kind, pair, pool, matching_pool.Settings.of(g.tenant), by=current_user
        )
    except matching_pool.MatchingError as exc:
        db.session.rollback()
        return _session_page(_load_session(session_id), status=400, errors=exc.problems)
    names = {"mentee": pool.people[pair[0]].full_name, "mentor": pool.people[pair[1]].full_name}
    if kind == LOCK:
        message = _("%(mentee)s and %(mentor)s are locked; the others were re-optimised.", **names)
    else:
        message = _("%(mentee)s and %(mentor)s will not be suggested together.", **names)
    flash(message, "success")
    return redirect(url_for("matching.session", session_id=session.id))


@bp.route("/sessions/<uuid:session_id>/constraints/<uuid:constraint_id>/remove", methods=["POST"])
@coordinator_required
def remove_constraint(session_id: uuid.UUID, constraint_id: uuid.UUID):  # noqa: ANN201
    session = _load_session(session_id)
    constraint = db.session.execute(
        select(MatchingConstraint).where(
            MatchingConstraint.id == constraint_id, MatchingConstraint.session_id == session.id
        )
    ).scalar_one_or_none()
    if constraint is None:
        abort(404)
    if not RemoveConstraintForm().validate_on_submit():
        abort(400)
    try:
        decisions.remove_constraint(constraint, by=current_user)
    except matching_pool.MatchingError as exc:
        return _session_page(session, status=400, errors=exc.problems)
    flash(_("Removed; the suggestion was re-optimised."), "success")
    return redirect(url_for("matching.session", session_id=session.id))


@bp.route("/sessions/<uuid:session_id>/close", methods=["POST"])
@coordinator_required
def close(session_id: uuid.UUID):  # noqa: ANN201
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


@provider
def _waiting_todo(tenant: Tenant) -> list[Todo]:
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


@provider
def _free_mentors_todo(tenant: Tenant) -> list[Todo]:
    """Trained mentors without a mentee yet: the matching step covers mentors too."""
    count = db.session.execute(
        select(func.count())
        .select_from(Person)
        .where(Person.role == MENTOR, Person.state == person_states.TRAINED)
    ).scalar_one()
    label = ngettext(
        "%(num)d trained mentor waiting for a mentee",
        "%(num)d trained mentors waiting for a mentee",
        count,
    )
    url = url_for("matching.index", tenant=tenant.slug)
    return [Todo(label=label, count=count, url=url, urgency=40)]


@next_step.provides(person_states.ELIGIBLE, role=MENTEE)
@next_step.provides(person_states.TRAINED, role=MENTOR)
def _matching_action(person: Person) -> list[next_step.Action]:
    return [next_step.Action(str(_l("Go to the matching sessions")), url_for("matching.index"))]
