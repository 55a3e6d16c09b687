"""Sentences that tell a coordinator why a pair scores as it does, or why someone is unmatched.

Scoring and the solver return *codes and params* (see :mod:`duo.matching.scoring` and
:mod:`duo.matching.solver`); this module is the one place that turns them into words, with
``flask_babel.gettext`` and named placeholders so the catalogues can reorder them. Language
names come from CLDR (``babel.Locale(locale).languages``), lists are joined the locale's way
("Arabic and French", "arabe et français"), and sectors and help questions use the lazy labels
below. Outside an app context the English text is returned (tests rely on that); inside one,
the sentences are rendered in ``locale`` whatever the request's locale is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import Any, Protocol

from babel import Locale
from babel.lists import format_list
from flask import current_app, has_app_context
from flask_babel import force_locale, get_translations
from flask_babel import lazy_gettext as _l

from duo.core.i18n import translated
from duo.matching.scoring import CriterionScore

#: Labels of the spec's sector keys (``duo.people.vocab.SECTORS``), written as they read inside
#: a sentence ("worked 20 years in logistics"); forms capitalise their own labels.
SECTOR_LABELS: Mapping[str, Any] = {
    "administration": _l("administration"),
    "logistics": _l("logistics"),
    "construction": _l("construction"),
    "it": _l("IT"),
    "healthcare": _l("healthcare"),
    "education": _l("education"),
    "hospitality": _l("hospitality"),
    "retail": _l("retail"),
    "finance": _l("finance"),
    "engineering": _l("engineering"),
    "manufacturing": _l("manufacturing"),
    "marketing": _l("marketing"),
    "legal": _l("legal services"),
    "social_work": _l("social work"),
    "culture": _l("culture"),
    "transport": _l("transport"),
    "agriculture": _l("agriculture"),
    "public_sector": _l("the public sector"),
    "other": _l("another sector"),
}

#: Labels of the spec's help-question keys, as they read inside a sentence.
HELP_LABELS: Mapping[str, Any] = {
    "cv": _l("CV"),
    "cover_letter": _l("cover letter"),
    "interview": _l("job interviews"),
    "network": _l("professional network"),
    "orientation": _l("career orientation"),
    "language": _l("language"),
    "digital": _l("digital skills"),
    "job_search": _l("job search"),
    "self_confidence": _l("self-confidence"),
    "entrepreneurship": _l("entrepreneurship"),
}

#: Labels of the matching criteria (column headers next to the points).
CRITERION_LABELS: Mapping[str, Any] = {
    "sector": _l("Sector"),
    "help_questions": _l("Help questions"),
    "languages": _l("Languages"),
    "availability": _l("Availability"),
    "interests": _l("Interests"),
    "digital_skills": _l("Digital skills"),
    "personality": _l("Personality"),
    "distance": _l("Distance"),
}

#: Digital skills levels 0..3.
DIGITAL_LABELS: tuple[Any, ...] = (
    _l("none"),
    _l("basic"),
    _l("intermediate"),
    _l("advanced"),
)

_NATIVE = _l("native")


class _Coded(Protocol):
    code: str
    params: Mapping[str, Any]


@lru_cache(maxsize=32)
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def _in_locale(locale: str) -> AbstractContextManager[Any]:
    """Render gettext in ``locale`` inside an app context; a no-op outside one."""
    return force_locale(locale) if has_app_context() else nullcontext()


class SentenceBook:
    """The words of matching explanations in one locale, each looked up once.

    A page explains hundreds of pairs with a few dozen distinct messages; switching locale
    and asking the catalogue again for each sentence cost more than scoring the whole pool.
    A book resolves the catalogue and every label once, each message the first time it is
    used, and keeps the sentences it has written (a sentence depends only on its code, its
    params and the locale; the catalogues are compiled files that do not change while a
    process runs). Get one with :func:`sentence_book`.
    """

    #: Sentences kept per book; past this the memo starts again (params vary a lot).
    MEMO_SIZE = 20000

    def __init__(self, locale: str) -> None:
        self.locale = locale
        with _in_locale(locale):
            self._translations = get_translations()
            self._sectors = translated(SECTOR_LABELS)
            self._helps = translated(HELP_LABELS)
            self._criteria = translated(CRITERION_LABELS)
            self._digital = tuple(str(v) for v in DIGITAL_LABELS)
            self._native = str(_NATIVE)
        self._babel = _babel_locale(locale)
        self._language_names = self._babel.languages
        self._messages: dict[str, str] = {}
        self._plurals: dict[tuple[str, str, int], str] = {}
        self._memo: dict[Any, str] = {}

    # The catalogue, read as flask_babel's gettext and ngettext read it.
    def gettext(self, string: str, **variables: Any) -> str:
        text = self._messages.get(string)
        if text is None:
            text = self._messages[string] = self._translations.ugettext(string)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        key = (singular, plural, num)
        text = self._plurals.get(key)
        if text is None:
            text = self._plurals[key] = self._translations.ungettext(singular, plural, num)
        return text % variables

    # Labels.
    def criterion_label(self, criterion: str) -> str:
        return self._criteria.get(criterion, criterion)

    def language(self, code: str) -> str:
        return self._language_names.get(code, code)

    def join(self, items: Iterable[str]) -> str:
        return format_list(list(items), locale=self._babel)

    def languages(self, codes: Iterable[str]) -> str:
        return self.join(self.language(c) for c in codes)

    def sector(self, key: str) -> str:
        return self._sectors.get(key, key)

    def sectors(self, keys: Iterable[str]) -> str:
        return self.join(self.sector(k) for k in keys)

    def helps(self, keys: Iterable[str]) -> str:
        return self.join(self._helps.get(k, k) for k in keys)

    def level(self, level: str) -> str:
        return self._native if level == "native" else level

    def digital(self, level: int) -> str:
        return self._digital[level] if 0 <= level < len(self._digital) else str(level)

    # Sentences.
    def _remember(self, key: Any, render: Callable[[], str]) -> str:
        try:
            return self._memo[key]
        except KeyError:
            pass
        except TypeError:  # params that cannot be hashed as given
            key = _frozen(key)
            if key in self._memo:
                return self._memo[key]
        if len(self._memo) >= self.MEMO_SIZE:
            self._memo.clear()
        text = self._memo[key] = render()
        return text

    def criterion(self, detail: CriterionScore) -> str:
        """One sentence explaining a criterion's points ("Both speak Arabic and French ...")."""
        key = ("criterion", detail.criterion, detail.code, tuple(detail.params.items()))
        return self._remember(key, lambda: self._criterion(detail))

    def _criterion(self, detail: CriterionScore) -> str:
        render = _CRITERION_SENTENCES.get(detail.code)
        if render is None:
            return self.gettext(
                "%(criterion)s: %(code)s", criterion=detail.criterion, code=detail.code
            )
        return render(dict(detail.params), self)

    def reason(self, code: str, params: Mapping[str, Any]) -> str:
        """Why a person is unmatched, a lock was not kept, or a pair is infeasible."""
        key = ("reason", code, tuple(params.items()))
        return self._remember(key, lambda: self._reason(code, params))

    def _reason(self, code: str, params: Mapping[str, Any]) -> str:
        render = _REASON_SENTENCES.get(code)
        if render is None:
            return self.gettext("Reason: %(code)s", code=code)
        return render(dict(params), self)


_OUTSIDE_APP: dict[str, SentenceBook] = {}


def sentence_book(locale: str) -> SentenceBook:
    """The book of ``locale``: one per application and locale (English outside an app)."""
    if not has_app_context():
        books = _OUTSIDE_APP
    else:
        books = current_app.extensions.setdefault("duo.matching.sentences", {})
    book = books.get(locale)
    if book is None:
        book = books[locale] = SentenceBook(locale)
    return book


_Render = Callable[[Mapping[str, Any], SentenceBook], str]

_CRITERION_SENTENCES: dict[str, _Render] = {
    "sector_match": lambda p, b: (
        b.ngettext(
            "Mentor worked %(num)d year in %(sector)s; mentee aims at %(sector)s",
            "Mentor worked %(num)d years in %(sector)s; mentee aims at %(sector)s",
            p["years"],
            sector=b.sector(p["sector"]),
        )
        if p["years"]
        else b.gettext(
            "Mentor worked in %(sector)s; mentee aims at %(sector)s", sector=b.sector(p["sector"])
        )
    ),
    "sector_mismatch": lambda p, b: b.gettext(
        "Mentee aims at %(target)s; mentor worked in %(sectors)s",
        target=b.sector(p["target"]),
        sectors=b.sectors(p["sectors"]),
    ),
    "sector_no_target": lambda p, b: b.gettext("Mentee has not chosen a target sector yet"),
    "sector_mentor_unknown": lambda p, b: b.gettext(
        "Mentor's sectors are not known; mentee aims at %(target)s", target=b.sector(p["target"])
    ),
    "help_covered": lambda p, b: b.gettext(
        "Mentor can help with %(topics)s (%(count)d of %(asked)d help questions)",
        topics=b.helps(p["covered"]),
        count=len(p["covered"]),
        asked=len(p["asked"]),
    ),
    "help_not_covered": lambda p, b: b.gettext(
        "Mentor's expertise covers none of the help questions (%(topics)s)",
        topics=b.helps(p["asked"]),
    ),
    "help_none_asked": lambda p, b: b.gettext("Mentee has not stated any help questions"),
    "help_mentor_unknown": lambda p, b: b.gettext("Mentor's expertise is not known"),
    "languages_shared": lambda p, b: b.gettext(
        "Both speak %(languages)s (%(working)s at level %(level)s)",
        languages=b.languages(p["languages"]),
        working=b.language(p["working"]),
        level=b.level(p["level"]),
    ),
    "languages_no_working": lambda p, b: b.gettext(
        "No working language (%(languages)s) spoken at B1 or above by both",
        languages=b.languages(p["working_languages"]),
    ),
    "availability_overlap": lambda p, b: b.ngettext(
        "%(shared)d of %(num)d availability slot overlaps",
        "%(shared)d of %(num)d availability slots overlap",
        p["total"],
        shared=p["shared"],
    ),
    "availability_unknown": lambda p, b: b.gettext("Availability is not known"),
    "interests_shared": lambda p, b: b.gettext(
        "Shared interests: %(tags)s", tags=b.join(p["tags"])
    ),
    "interests_none_shared": lambda p, b: b.gettext("No shared interests"),
    "interests_unknown": lambda p, b: b.gettext("Interests are not known"),
    "personality_shared": lambda p, b: b.gettext(
        "Matching personality notes: %(tags)s", tags=b.join(p["tags"])
    ),
    "personality_none_shared": lambda p, b: b.gettext("No matching personality notes"),
    "personality_unknown": lambda p, b: b.gettext("Personality notes are not known"),
    "digital_skills": lambda p, b: b.gettext(
        "Digital skills: mentor %(mentor)s, mentee %(mentee)s",
        mentor=b.digital(p["mentor"]),
        mentee=b.digital(p["mentee"]),
    ),
    "distance_same_postcode": lambda p, b: b.gettext(
        "Same postcode (%(postcode)s)", postcode=p["postcode"]
    ),
    "distance_prefix": lambda p, b: b.gettext(
        "Postcodes %(mentee)s and %(mentor)s share the first %(digits)d characters",
        mentee=p["mentee"],
        mentor=p["mentor"],
        digits=p["digits"],
    ),
    "distance_far": lambda p, b: b.gettext(
        "Postcodes %(mentee)s and %(mentor)s are far apart", mentee=p["mentee"], mentor=p["mentor"]
    ),
    "distance_other_country": lambda p, b: b.gettext("They live in different countries"),
    "distance_unknown": lambda p, b: b.gettext("Postcode is not known"),
}


def _no_common_language(p: Mapping[str, Any], b: SentenceBook) -> str:
    if p.get("working_languages"):
        return b.gettext(
            "Nobody speaks a working language (%(languages)s) at B1 or above with them",
            languages=b.languages(p["working_languages"]),
        )
    return b.gettext("No common working language at B1 or above")


_REASON_SENTENCES: dict[str, _Render] = {
    "mentee_not_eligible": lambda p, b: b.gettext("Mentee is not eligible"),
    "mentor_not_eligible": lambda p, b: b.gettext("Mentor is not eligible"),
    "mentor_not_trained": lambda p, b: b.gettext("Mentor has not completed the required training"),
    "mentor_not_free": lambda p, b: b.gettext("Mentor is already in a duo"),
    "no_common_language": _no_common_language,
    "declined": lambda p, b: b.gettext("This pair was tried before and declined"),
    "excluded": lambda p, b: b.gettext("A coordinator excluded this pair"),
    "no_free_mentor": lambda p, b: b.gettext("No trained, free mentor in the pool"),
    "no_eligible_mentee": lambda p, b: b.gettext("No eligible mentee in the pool"),
    "all_excluded_or_declined": lambda p, b: b.gettext(
        "Every possible partner was excluded or declined"
    ),
    "more_mentees_than_mentors": lambda p, b: b.gettext(
        "More mentees (%(mentees)d) than free mentors (%(mentors)d)",
        mentees=p["mentees"],
        mentors=p["mentors"],
    ),
    "more_mentors_than_mentees": lambda p, b: b.gettext(
        "More free mentors (%(mentors)d) than mentees (%(mentees)d)",
        mentors=p["mentors"],
        mentees=p["mentees"],
    ),
    "feasible_mentors_taken": lambda p, b: b.gettext(
        "Suitable mentors (%(count)d) give a better total with other mentees", count=p["count"]
    ),
    "feasible_mentees_taken": lambda p, b: b.gettext(
        "Suitable mentees (%(count)d) give a better total with other mentors", count=p["count"]
    ),
    "lock_unknown_person": lambda p, b: b.gettext("The locked pair names someone not in the pool"),
    "lock_conflict": lambda p, b: b.gettext("The same person is locked in more than one pair"),
}


def criterion_label(criterion: str, locale: str) -> str:
    """The translated name of a criterion ("Languages")."""
    return sentence_book(locale).criterion_label(criterion)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(_frozen(v) for v in value)
    return value


def criterion_sentence(detail: CriterionScore, locale: str) -> str:
    """One sentence explaining a criterion's points ("Both speak Arabic and French ...")."""
    return sentence_book(locale).criterion(detail)


def unmatched_sentence(reason: _Coded | tuple[str, Mapping[str, Any]] | str, locale: str) -> str:
    """Why a person is unmatched, or why a lock was not kept, or why a pair is infeasible.

    ``reason`` is anything with ``code`` and ``params`` (``Unmatched``, ``LockProblem``) or a
    ``(code, params)`` tuple; a bare pair reason code is accepted as ``(code, {})``.
    """
    if isinstance(reason, str):
        code, params = reason, {}
    elif isinstance(reason, tuple):
        code, params = reason
    else:
        code, params = reason.code, reason.params
    return sentence_book(locale).reason(code, params)


def pair_sentences(criteria: Iterable[CriterionScore], locale: str) -> list[str]:
    """The sentences of every criterion of a pair, in scoring order."""
    book = sentence_book(locale)
    return [book.criterion(detail) for detail in criteria]
