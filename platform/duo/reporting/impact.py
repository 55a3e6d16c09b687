"""The indicators of steps 7 and 8: meetings and hours, mentee outcomes, the survey.

Added to :mod:`duo.reporting.indicators` through :func:`~duo.reporting.indicators.register`
when reporting's plugin is loaded. Their measures are counted by :mod:`duo.reporting.facts`
(check-ins, outcomes and their asks, evaluation answers), in each branch's own scope. The
survey items are those of the organisation's published impact figures; a question a
country adds with another key is counted in the rollups too, and gets an indicator of its
own once it is listed here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from duo.reporting.indicators import (
    FINISHED_DUOS,
    MEAN,
    MENTEE_DIMS,
    RATE,
    Indicator,
    family,
    register,
)
from duo.reporting.settings import ReportingSettings

PERIOD_FINISHED = _l(
    "Counted in the month (branch time) the accompaniment ended or stopped; a quarter or a "
    "year adds up its months."
)
PERIOD_OUTCOME = _l(
    "Counted in the month (branch time) the duo's accompaniment ended or stopped, with the "
    "outcomes recorded up to the end of the follow-up period after it. Recent periods can "
    "still change as answers come in."
)
OUTCOME_DENOMINATOR = _l(
    "Mentees of a duo that started and then ended or stopped, with at least one situation "
    "recorded within the follow-up period (at the end, or 3, 6 or 12 months after it)."
)
OUTCOME_EXCLUSIONS = _l(
    "Mentees lost to follow-up (no answer to any question about their situation) are left "
    "out, not counted as a failure; they are shown separately. So are mentees whose first "
    "question is still open, and duos that stopped before the agreement."
)


def _follow_up_variant(settings: ReportingSettings) -> str:
    return str(
        _l(
            "In this country the follow-up period is %(months)s months after the end.",
            months=settings.outcome_months,
        )
    )


def _stable_variant(settings: ReportingSettings) -> str:
    return str(
        _l(
            "In this country a job is stable once held %(stable)s months; the follow-up "
            "period is %(months)s months after the end.",
            stable=settings.stable_job_months,
            months=settings.outcome_months,
        )
    )


_STATUS_NAMES = {
    "job": _l("a job"),
    "internship": _l("an internship"),
    "training": _l("a training or studies"),
    "looking": _l("still looking"),
    "other": _l("something else"),
}


def _positive_variant(settings: ReportingSettings) -> str:
    return str(
        _l(
            "In this country a positive outcome is: %(outcomes)s; the follow-up period is "
            "%(months)s months after the end.",
            outcomes=", ".join(str(_STATUS_NAMES.get(s, s)) for s in settings.positive_outcomes),
            months=settings.outcome_months,
        )
    )


#: What the check-ins reported, as a mean over the finished duos.
_per_duo = family(
    "duos",
    "duos",
    MEAN,
    denominator=FINISHED_DUOS,
    period=PERIOD_FINISHED,
    exclusions=_l(
        "Duos still running and duos that never signed the agreement. Meetings nobody "
        "reported are not known and not counted."
    ),
    dimensions=MENTEE_DIMS,
)

#: A share of the followed mentees, by default of those whose situation is known.
_outcome = family(
    "outcomes",
    "outcomes",
    RATE,
    denominator=OUTCOME_DENOMINATOR,
    denominator_measure="outcomes.known",
    period=PERIOD_OUTCOME,
    exclusions=OUTCOME_EXCLUSIONS,
    dimensions=MENTEE_DIMS,
)

MEETINGS = [
    _per_duo(
        "meetings",
        _l("Meetings per duo (mean)"),
        _l(
            "Weeks in which the mentor or the mentee said in their check-in that the duo met, "
            "added up over the duos (a week both reported is one meeting)."
        ),
        unit=_l("meetings"),
    ),
    _per_duo(
        "hours",
        _l("Hours of meeting per duo (mean)"),
        _l(
            "Hours the duos met, from the minutes given in the check-ins (for a week both "
            "reported, the longer of the two), added up over the duos."
        ),
        unit=_l("hours"),
    ),
]

OUTCOMES = [
    _outcome(
        "job",
        _l("Mentees in a job within 12 months"),
        _l("Of those mentees, the ones who reported a job at any follow-up point."),
        variant=_follow_up_variant,
    ),
    _outcome(
        "stable_job",
        _l("Mentees in a stable job (3 months or more)"),
        _l(
            "Of those mentees, the ones who reported a job held for at least the stable "
            "period at the follow-up point it was reported at, or on a permanent contract."
        ),
        variant=_stable_variant,
    ),
    _outcome(
        "internship_training",
        _l("Mentees in an internship or training"),
        _l(
            "Of those mentees, the ones who reported an internship, a training or studies at "
            "any follow-up point."
        ),
        variant=_follow_up_variant,
    ),
    _outcome(
        "positive",
        _l("Mentees with a positive outcome"),
        _l(
            "Of those mentees, the ones who reported a positive situation (a job, an "
            "internship or a training, unless the country says otherwise) at any follow-up "
            "point."
        ),
        variant=_positive_variant,
    ),
    _outcome(
        "lost",
        _l("Mentees lost to follow-up"),
        _l(
            "Of those mentees, the ones who answered none of the questions about their "
            "situation, at least one of which was left unanswered after its reminder."
        ),
        variant=_follow_up_variant,
        denominator=_l(
            "Mentees of a duo that started and then ended or stopped (every mentee whose "
            "outcomes are followed)."
        ),
        denominator_measure="outcomes.followed",
        exclusions=_l(
            "Shown apart from the outcomes, which leave these mentees out. Duos that stopped "
            "before the agreement are not followed."
        ),
    ),
]

#: (side, question key, title): the survey items the organisation publishes.
SURVEY_ITEMS = [
    ("mentee", "autonomy", _l("Mentees more autonomous in their job search")),
    ("mentee", "career_plan", _l("Mentees who made a career plan")),
    ("mentee", "network", _l("Mentees with a larger network")),
    ("mentee", "self_confidence", _l("Mentees with more self-confidence")),
    ("mentee", "codes", _l("Mentees who understand the job market's codes better")),
    ("mentee", "find_opportunities", _l("Mentees who know better where to find opportunities")),
    ("mentee", "seize_opportunities", _l("Mentees who know better how to seize them")),
    ("mentee", "expectations_met", _l("Mentees whose expectations were met")),
    ("mentee", "objectives_reached", _l("Mentees who reached their objectives")),
    ("mentor", "coaching_skills", _l("Mentors with better coaching skills")),
    ("mentor", "professional_development", _l("Mentors for whom it added to their development")),
    ("mentor", "useful_to_society", _l("Mentors who feel more useful to society")),
    ("mentor", "mentor_again", _l("Mentors who would like to mentor again")),
    ("mentor", "keeps_in_touch", _l("Mentors who keep in touch with their mentee")),
]

_SIDE_DENOMINATOR = {
    "mentee": _l("Mentees who answered this question of the end-of-duo survey."),
    "mentor": _l("Mentors who answered this question of the end-of-duo survey."),
}


def survey_indicator(side: str, key: str, title) -> Indicator:
    return Indicator(
        key=f"survey.{side}.{key}",
        section="survey",
        kind=RATE,
        title=title,
        numerator=_l(
            "Of those, the ones who agreed or strongly agreed (or answered yes) with the "
            "statement as the survey puts it in their language."
        ),
        measure=f"survey.{side}.{key}.agreed",
        denominator=_SIDE_DENOMINATOR[side],
        denominator_measure=f"survey.{side}.{key}.answered",
        period=_l(
            "Counted in the month (branch time) of the answer; a quarter or a year adds up "
            "its months. Every version of the question is counted under its key."
        ),
        exclusions=_l(
            "People who did not answer the survey, and the survey's free-text answers, "
            "which are never counted or shown."
        ),
        dimensions=MENTEE_DIMS if side == "mentee" else (),
    )


SURVEY = [survey_indicator(*item) for item in SURVEY_ITEMS]


def install(app: object | None = None) -> None:
    """Add these indicators and their sections (idempotent)."""
    for item in MEETINGS:
        register(item)
    outcomes = ("outcomes", _l("Mentee outcomes"))
    for item in OUTCOMES:
        register(item, outcomes)
    survey = ("survey", _l("What mentees and mentors say"))
    for item in SURVEY:
        register(item, survey)


install()
