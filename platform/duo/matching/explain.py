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
from flask import has_app_context
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

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


def _language(code: str, locale: str) -> str:
    return _babel_locale(locale).languages.get(code, code)


def _join(items: Iterable[str], locale: str) -> str:
    return format_list(list(items), locale=_babel_locale(locale))


def _languages(codes: Iterable[str], locale: str) -> str:
    return _join((_language(c, locale) for c in codes), locale)


def _sector(key: str) -> str:
    return str(SECTOR_LABELS.get(key, key))


def _sectors(keys: Iterable[str], locale: str) -> str:
    return _join((_sector(k) for k in keys), locale)


def _helps(keys: Iterable[str], locale: str) -> str:
    return _join((str(HELP_LABELS.get(k, k)) for k in keys), locale)


def _level(level: str) -> str:
    return str(_NATIVE) if level == "native" else level


def _digital(level: int) -> str:
    return str(DIGITAL_LABELS[level]) if 0 <= level < len(DIGITAL_LABELS) else str(level)


_Render = Callable[[Mapping[str, Any], str], str]

_CRITERION_SENTENCES: dict[str, _Render] = {
    "sector_match": lambda p, loc: (
        ngettext(
            "Mentor worked %(num)d year in %(sector)s; mentee aims at %(sector)s",
            "Mentor worked %(num)d years in %(sector)s; mentee aims at %(sector)s",
            p["years"],
            sector=_sector(p["sector"]),
        )
        if p["years"]
        else gettext(
            "Mentor worked in %(sector)s; mentee aims at %(sector)s", sector=_sector(p["sector"])
        )
    ),
    "sector_mismatch": lambda p, loc: gettext(
        "Mentee aims at %(target)s; mentor worked in %(sectors)s",
        target=_sector(p["target"]),
        sectors=_sectors(p["sectors"], loc),
    ),
    "sector_no_target": lambda p, loc: gettext("Mentee has not chosen a target sector yet"),
    "sector_mentor_unknown": lambda p, loc: gettext(
        "Mentor's sectors are not known; mentee aims at %(target)s", target=_sector(p["target"])
    ),
    "help_covered": lambda p, loc: gettext(
        "Mentor can help with %(topics)s (%(count)d of %(asked)d help questions)",
        topics=_helps(p["covered"], loc),
        count=len(p["covered"]),
        asked=len(p["asked"]),
    ),
    "help_not_covered": lambda p, loc: gettext(
        "Mentor's expertise covers none of the help questions (%(topics)s)",
        topics=_helps(p["asked"], loc),
    ),
    "help_none_asked": lambda p, loc: gettext("Mentee has not stated any help questions"),
    "help_mentor_unknown": lambda p, loc: gettext("Mentor's expertise is not known"),
    "languages_shared": lambda p, loc: gettext(
        "Both speak %(languages)s (%(working)s at level %(level)s)",
        languages=_languages(p["languages"], loc),
        working=_language(p["working"], loc),
        level=_level(p["level"]),
    ),
    "languages_no_working": lambda p, loc: gettext(
        "No working language (%(languages)s) spoken at B1 or above by both",
        languages=_languages(p["working_languages"], loc),
    ),
    "availability_overlap": lambda p, loc: ngettext(
        "%(shared)d of %(num)d availability slot overlaps",
        "%(shared)d of %(num)d availability slots overlap",
        p["total"],
        shared=p["shared"],
    ),
    "availability_unknown": lambda p, loc: gettext("Availability is not known"),
    "interests_shared": lambda p, loc: gettext(
        "Shared interests: %(tags)s", tags=_join(p["tags"], loc)
    ),
    "interests_none_shared": lambda p, loc: gettext("No shared interests"),
    "interests_unknown": lambda p, loc: gettext("Interests are not known"),
    "personality_shared": lambda p, loc: gettext(
        "Matching personality notes: %(tags)s", tags=_join(p["tags"], loc)
    ),
    "personality_none_shared": lambda p, loc: gettext("No matching personality notes"),
    "personality_unknown": lambda p, loc: gettext("Personality notes are not known"),
    "digital_skills": lambda p, loc: gettext(
        "Digital skills: mentor %(mentor)s, mentee %(mentee)s",
        mentor=_digital(p["mentor"]),
        mentee=_digital(p["mentee"]),
    ),
    "distance_same_postcode": lambda p, loc: gettext(
        "Same postcode (%(postcode)s)", postcode=p["postcode"]
    ),
    "distance_prefix": lambda p, loc: gettext(
        "Postcodes %(mentee)s and %(mentor)s share the first %(digits)d characters",
        mentee=p["mentee"],
        mentor=p["mentor"],
        digits=p["digits"],
    ),
    "distance_far": lambda p, loc: gettext(
        "Postcodes %(mentee)s and %(mentor)s are far apart", mentee=p["mentee"], mentor=p["mentor"]
    ),
    "distance_other_country": lambda p, loc: gettext("They live in different countries"),
    "distance_unknown": lambda p, loc: gettext("Postcode is not known"),
}


def _no_common_language(p: Mapping[str, Any], loc: str) -> str:
    if p.get("working_languages"):
        return gettext(
            "Nobody speaks a working language (%(languages)s) at B1 or above with them",
            languages=_languages(p["working_languages"], loc),
        )
    return gettext("No common working language at B1 or above")


_REASON_SENTENCES: dict[str, _Render] = {
    "mentee_not_eligible": lambda p, loc: gettext("Mentee is not eligible"),
    "mentor_not_eligible": lambda p, loc: gettext("Mentor is not eligible"),
    "mentor_not_trained": lambda p, loc: gettext("Mentor has not completed the required training"),
    "mentor_not_free": lambda p, loc: gettext("Mentor is already in a duo"),
    "no_common_language": _no_common_language,
    "declined": lambda p, loc: gettext("This pair was tried before and declined"),
    "excluded": lambda p, loc: gettext("A coordinator excluded this pair"),
    "no_free_mentor": lambda p, loc: gettext("No trained, free mentor in the pool"),
    "no_eligible_mentee": lambda p, loc: gettext("No eligible mentee in the pool"),
    "all_excluded_or_declined": lambda p, loc: gettext(
        "Every possible partner was excluded or declined"
    ),
    "more_mentees_than_mentors": lambda p, loc: gettext(
        "More mentees (%(mentees)d) than free mentors (%(mentors)d)",
        mentees=p["mentees"],
        mentors=p["mentors"],
    ),
    "more_mentors_than_mentees": lambda p, loc: gettext(
        "More free mentors (%(mentors)d) than mentees (%(mentees)d)",
        mentors=p["mentors"],
        mentees=p["mentees"],
    ),
    "feasible_mentors_taken": lambda p, loc: gettext(
        "Suitable mentors (%(count)d) give a better total with other mentees", count=p["count"]
    ),
    "feasible_mentees_taken": lambda p, loc: gettext(
        "Suitable mentees (%(count)d) give a better total with other mentors", count=p["count"]
    ),
    "lock_unknown_person": lambda p, loc: gettext("The locked pair names someone not in the pool"),
    "lock_conflict": lambda p, loc: gettext("The same person is locked in more than one pair"),
}


def criterion_label(criterion: str, locale: str) -> str:
    """The translated name of a criterion ("Languages")."""
    with _in_locale(locale):
        return str(CRITERION_LABELS.get(criterion, criterion))


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(_frozen(v) for v in value)
    return value


# A matching page shows thousands of sentences, most of them alike ("2 of 4 availability
# slots overlap"); switching locale and looking each up in the catalogue again cost more
# than scoring the whole pool. A sentence depends only on its code, its params and the
# locale (and on whether an app context gives it catalogues), so each is rendered once per
# process. The catalogues are compiled files that do not change while a process runs.
@lru_cache(maxsize=16384)
def _criterion_text(criterion: str, code: str, params: Any, locale: str, in_app: bool) -> str:
    render = _CRITERION_SENTENCES.get(code)
    with _in_locale(locale):
        if render is None:
            return gettext("%(criterion)s: %(code)s", criterion=criterion, code=code)
        return render(dict(params), locale)


@lru_cache(maxsize=4096)
def _reason_text(code: str, params: Any, locale: str, in_app: bool) -> str:
    render = _REASON_SENTENCES.get(code)
    with _in_locale(locale):
        if render is None:
            return gettext("Reason: %(code)s", code=code)
        return render(dict(params), locale)


def criterion_sentence(detail: CriterionScore, locale: str) -> str:
    """One sentence explaining a criterion's points ("Both speak Arabic and French ...")."""
    params = _frozen(detail.params)
    return _criterion_text(detail.criterion, detail.code, params, locale, has_app_context())


def unmatched_sentence(reason: _Coded | tuple[str, Mapping[str, Any]], locale: str) -> str:
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
    return _reason_text(code, _frozen(params), locale, has_app_context())


def pair_sentences(criteria: Iterable[CriterionScore], locale: str) -> list[str]:
    """The sentences of every criterion of a pair, in scoring order."""
    return [criterion_sentence(detail, locale) for detail in criteria]
