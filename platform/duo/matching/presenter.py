"""What the matching session page shows: rows of people and sentences built from a run.

A run (:mod:`duo.matching.session`) holds ids, codes and numbers; the page needs people,
labels and sentences in the reader's language. A large pool suggests hundreds of pairs, so
the page shows them :data:`PAGE_SIZE` at a time (longest-waiting mentees first) and explains
only those; the people left unmatched are grouped by reason. Sentences come from the
locale's :class:`~duo.matching.explain.SentenceBook`, and numbers are formatted without
Babel's general (slower) path.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_decimal_symbol
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import select

from duo.core.db import db
from duo.matching import pool as matching_pool
from duo.matching import session as matching_session
from duo.matching.explain import sentence_book
from duo.matching.forms import (
    pair_key,
)
from duo.matching.models import LOCK, MatchingConstraint
from duo.matching.pool import PoolPerson
from duo.matching.scoring import CRITERIA, CriterionScore
from duo.people.models import Person

#: Reason shown for people of the pool who cannot be matched for lack of an intake profile.
_NO_PROFILE = _l("No intake profile with languages yet: complete the intake to match them")

#: Suggested pairs per page of a session.
PAGE_SIZE = 40
#: People listed under one reason for being unmatched (the count says how many in all).
GROUP_SIZE = 50


def number_formatter(locale: str):
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

    mentor: PoolPerson
    key: str
    score: float


@dataclass(frozen=True)
class ExplainedAlternative:
    """Another mentor for a mentee with the pair's score per criterion (the mentee's page)."""

    mentor: PoolPerson
    key: str
    score: float
    max_score: float
    criteria: list[CriterionRow]


@dataclass(frozen=True)
class PairRow:
    key: str
    mentee: PoolPerson
    mentor: PoolPerson
    score: float
    max_score: float
    bonus: float
    waiting_weeks: int
    criteria: list[CriterionRow]
    alternatives: list[AlternativeRow]
    lock: MatchingConstraint | None


@dataclass(frozen=True)
class UnmatchedRow:
    person: PoolPerson
    reason: str
    waiting_weeks: int | None = None
    alternatives: list[AlternativeRow] = field(default_factory=list)


@dataclass(frozen=True)
class UnmatchedGroup:
    """People left unmatched for one reason: the first :data:`GROUP_SIZE` and how many in all."""

    reason: str
    rows: list[UnmatchedRow]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class PairPage:
    """One page of the suggested pairs."""

    rows: list[PairRow]
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def group_unmatched(rows: list[UnmatchedRow]) -> list[UnmatchedGroup]:
    """Rows grouped by reason, groups in the order their first person comes."""
    groups: dict[str, list[UnmatchedRow]] = {}
    for row in rows:
        groups.setdefault(row.reason, []).append(row)
    return [
        UnmatchedGroup(reason, found[:GROUP_SIZE], len(found)) for reason, found in groups.items()
    ]


@dataclass(frozen=True)
class ConstraintRow:
    constraint: MatchingConstraint
    mentee_name: str
    mentor_name: str
    in_pool: bool


class Presenter:
    """Turns a run's ids, codes and numbers into rows with people and sentences."""

    def __init__(self, run: matching_session.Run, locale: str) -> None:
        self.run = run
        self.locale = locale
        self.people = run.pool.people
        self.book = sentence_book(locale)
        self.labels = {name: self.book.criterion_label(name) for name in CRITERIA}

    def sentence(self, detail: CriterionScore) -> str:
        return self.book.criterion(detail)

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

    def explained_alternatives(self, mentee_id: uuid.UUID) -> list[ExplainedAlternative]:
        """A mentee's alternatives, each explained criterion by criterion."""
        out = []
        for alt in self.run.suggestion.alternatives.get(mentee_id, ()):
            criteria = self.criteria(alt.criteria)
            out.append(
                ExplainedAlternative(
                    self.people[alt.mentor_id],
                    pair_key(mentee_id, alt.mentor_id),
                    alt.score,
                    sum(c.max_points for c in criteria),
                    criteria,
                )
            )
        return out

    def pair_of(self, mentee_id: uuid.UUID) -> PairRow | None:
        """The mentee's suggested pair, explained, or None."""
        pair = self.run.suggestion.pair_of_mentee(mentee_id)
        if pair is None:
            return None
        locks = {c.pair: c for c in self.run.constraints if c.kind == LOCK}
        criteria = self.criteria(pair.criteria)
        return PairRow(
            key=pair_key(pair.mentee_id, pair.mentor_id),
            mentee=self.people[pair.mentee_id],
            mentor=self.people[pair.mentor_id],
            score=pair.score,
            max_score=sum(c.max_points for c in criteria),
            bonus=pair.bonus,
            waiting_weeks=self.weeks(pair.mentee_id),
            criteria=criteria,
            alternatives=[],
            lock=locks.get((pair.mentee_id, pair.mentor_id)),
        )

    def unmatched_reason(self, mentee_id: uuid.UUID) -> str | None:
        for u in self.run.suggestion.unmatched_mentees:
            if u.person_id == mentee_id:
                return self.book.reason(u.code, u.params)
        return None

    def weeks(self, mentee_id: uuid.UUID) -> int:
        return max(0, (self.run.today - self.run.pool.waiting_since[mentee_id]).days) // 7

    def pairs(self, page: int = 1) -> PairPage:
        """Page ``page`` of the suggested pairs (clamped to the pages there are)."""
        pairs = self.run.suggestion.pairs
        # Longest-waiting mentees first: the order coordinators go through the list in.
        people = self.people
        weeks = {p.mentee_id: self.weeks(p.mentee_id) for p in pairs}
        order = sorted(
            pairs,
            key=lambda p: (
                -weeks[p.mentee_id],
                people[p.mentee_id].last_name,
                people[p.mentee_id].first_name,
                str(p.mentee_id),
            ),
        )
        pages = max(1, -(-len(order) // PAGE_SIZE))
        number = min(max(1, page), pages)
        locks = {c.pair: c for c in self.run.constraints if c.kind == LOCK}
        rows = []
        for pair in order[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]:
            criteria = self.criteria(pair.criteria)
            rows.append(
                PairRow(
                    key=pair_key(pair.mentee_id, pair.mentor_id),
                    mentee=people[pair.mentee_id],
                    mentor=people[pair.mentor_id],
                    score=pair.score,
                    max_score=sum(c.max_points for c in criteria),
                    bonus=pair.bonus,
                    waiting_weeks=weeks[pair.mentee_id],
                    criteria=criteria,
                    alternatives=self.alternatives(pair.mentee_id),
                    lock=locks.get((pair.mentee_id, pair.mentor_id)),
                )
            )
        return PairPage(rows, number, pages, len(order))

    def unmatched_mentees(self) -> list[UnmatchedRow]:
        rows = [
            UnmatchedRow(
                self.people[u.person_id],
                self.book.reason(u.code, u.params),
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
            UnmatchedRow(self.people[u.person_id], self.book.reason(u.code, u.params))
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
                    reason=self.book.reason(problem.code, problem.params),
                )
            )
        return out


def constraint_rows(
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
