"""Every indicator the organisation publishes, defined once: what is counted, over what, when.

An :class:`Indicator` names the rollup measures it is computed from (produced only by
:mod:`duo.reporting.facts`), how they combine (:data:`COUNT`, :data:`SNAPSHOT`, :data:`RATE`,
:data:`MEAN`, :data:`MEDIAN`, :data:`P90`) and says in words what its numerator, denominator,
period and exclusions are; the definition page HQ opens shows exactly these texts, with the
country variants read from the country's configuration (:mod:`duo.reporting.settings`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from duo.reporting.settings import ReportingSettings

COUNT = "count"  # a number of people or duos, added over months and branches
SNAPSHOT = "snapshot"  # a number on the last day of the period (not added over months)
RATE = "rate"  # numerator / denominator, as a percentage
MEAN = "mean"  # sum / number, per duo
MEDIAN = "median"  # from a histogram of days
P90 = "p90"  # from a histogram of days

SECTIONS = {
    "funnel": _l("From sign-up to evaluation"),
    "duos": _l("Duos"),
    "waiting": _l("Waiting for a match"),
    "mentors": _l("Mentors"),
}

PERIOD_EVENT = _l(
    "Counted in the month (branch time) in which the event happened; a quarter or a year "
    "adds up its months."
)


@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    kind: str
    title: object
    numerator: object
    measure: str
    denominator: object | None = None
    denominator_measure: str | None = None
    period: object = PERIOD_EVENT
    exclusions: object | None = None
    #: Text of the country's variant of this definition, from its settings.
    variant: Callable[[ReportingSettings], str] | None = None
    #: Reporting dimensions it can be split by (the fairness view).
    dimensions: tuple[str, ...] = ()
    unit: object | None = None
    stage: str | None = field(default=None)

    @property
    def is_rate(self) -> bool:
        return self.kind == RATE


def family(prefix: str, section: str, kind: str, **shared: Any) -> Callable[..., Indicator]:
    """The maker of indicators that share their definition but for a name and a wording.

    ``make(name, title, numerator, **own)`` is keyed ``prefix.name``, and so is its
    measure unless ``shared`` or ``own`` names another; ``own`` overrides ``shared``.
    """

    def make(name: str, title: object, numerator: object, **own: Any) -> Indicator:
        key = f"{prefix}.{name}"
        fields = {"kind": kind, "measure": key, **shared, **own}
        return Indicator(key=key, section=section, title=title, numerator=numerator, **fields)

    return make


_PEOPLE_DIMS = ("audience", "age_band", "language", "sector")
MENTEE_DIMS = ("age_band", "language", "sector")
FINISHED_DUOS = _l("Duos that started and then ended or stopped.")

_FUNNEL = [
    (
        "signed_up",
        _l("Signed up"),
        _l("People who signed up (for an information session or entered by a coordinator)."),
    ),
    (
        "attended",
        _l("Attended an information session"),
        _l("People recorded as present at an information session, or moved on to that step."),
    ),
    ("intake", _l("Intake interview"), _l("People whose intake interview was recorded.")),
    ("eligible", _l("Eligible"), _l("People found eligible (by the rules or an override).")),
    ("trained", _l("Mentors trained"), _l("Mentors who attended every required module.")),
    ("matched", _l("Matched"), _l("People proposed in a duo at a matching session.")),
    (
        "agreement",
        _l("Agreement signed"),
        _l("People whose duo signed the mentoring agreement (the official start)."),
    ),
    (
        "completed",
        _l("Completed"),
        _l("People whose duo reached the end of its accompaniment (not stopped early)."),
    ),
    ("evaluated", _l("Evaluated"), _l("People whose duo's evaluation was recorded.")),
]

FUNNEL_EXCLUSIONS = _l(
    "Each person counts once per step, in the month they first reached it; a person who "
    "reaches a step again later (a second duo) is not counted twice. People erased at their "
    "request are no longer counted."
)


#: An indicator of the duo section (a count unless it says otherwise).
_duo = family("duos", "duos", COUNT)
_waiting = family(
    "wait",
    "waiting",
    MEDIAN,
    measure="wait.eligible_match",
    denominator=_l("People matched in the period after being found eligible."),
    period=_l("Counted in the month of the match."),
    exclusions=_l("People never found eligible, and people still waiting."),
    dimensions=_PEOPLE_DIMS,
    unit=_l("days"),
)
_funnel = family("funnel", "funnel", COUNT, exclusions=FUNNEL_EXCLUSIONS, dimensions=_PEOPLE_DIMS)


def _reach_variant(settings: ReportingSettings) -> str:
    return str(
        _l(
            "In this country a duo reaches the full accompaniment after %(months)s months.",
            months=settings.reach_months,
        )
    )


INDICATORS: list[Indicator] = [
    *(_funnel(stage, title, text, stage=stage) for stage, title, text in _FUNNEL),
    _duo(
        "started",
        _l("Duos started"),
        _l("Duos whose mentoring agreement was signed."),
        exclusions=_l("Duos that stopped before the agreement are not started."),
        dimensions=MENTEE_DIMS,
    ),
    _duo(
        "active",
        _l("Duos active"),
        _l("Duos in accompaniment: agreement signed, not yet ended or stopped."),
        kind=SNAPSHOT,
        measure="duos.active_end",
        period=_l(
            "Counted on the last day of the period (today for the current month), not added "
            "up over months."
        ),
    ),
    _duo(
        "completed",
        _l("Duos completed"),
        _l("Duos whose accompaniment was ended as planned (not stopped early)."),
        dimensions=MENTEE_DIMS,
    ),
    _duo(
        "stopped",
        _l("Duos stopped"),
        _l(
            "Duos stopped, by reason: declined at the first meeting, stopped before the "
            "agreement, stopped during the accompaniment."
        ),
        exclusions=_l("The coordinator's written reason is never counted or shown, only its kind."),
        dimensions=("reason",),
    ),
    _duo(
        "six_months",
        _l("Duos reaching six months"),
        _l("Duos whose accompaniment lasted the full period."),
        kind=RATE,
        measure="duos.reached_six",
        denominator=FINISHED_DUOS,
        denominator_measure="duos.finished",
        period=_l("Counted in the month the accompaniment ended or stopped."),
        exclusions=_l("Duos still running and duos that never signed the agreement."),
        variant=_reach_variant,
        dimensions=MENTEE_DIMS,
    ),
    _waiting(
        "median",
        _l("Waiting time to a match (median)"),
        _l(
            "Days from a person's eligibility decision to their next proposal in a duo; half "
            "of the people waited less."
        ),
    ),
    _waiting(
        "p90",
        _l("Waiting time to a match (90th percentile)"),
        _l("Days within which nine people in ten of those matched had their match."),
        kind=P90,
    ),
    Indicator(
        key="mentors.again",
        section="mentors",
        kind=RATE,
        title=_l("Mentors starting another duo"),
        numerator=_l("Of those mentors, the ones proposed in another duo afterwards."),
        measure="mentors.again",
        denominator=_l("Mentors whose first accompaniment ended or stopped in the period."),
        denominator_measure="mentors.first_finished",
        period=_l("Counted in the month the mentor's first accompaniment ended."),
        exclusions=_l(
            "Mentors whose first duo stopped before the agreement. Recent periods are low "
            "until the mentors have had time to start again."
        ),
    ),
]

BY_KEY = {i.key: i for i in INDICATORS}


def indicator(key: str) -> Indicator:
    return BY_KEY[key]


def register(item: Indicator, section: tuple[str, object] | None = None) -> None:
    """Add an indicator defined by a later step (evaluation, outcomes)."""
    if section is not None:
        SECTIONS.setdefault(*section)
    if item.key not in BY_KEY:
        INDICATORS.append(item)
        BY_KEY[item.key] = item


def measures() -> set[str]:
    out = set()
    for item in INDICATORS:
        out.add(item.measure)
        if item.denominator_measure:
            out.add(item.denominator_measure)
    return out


DIMENSION_LABELS = {
    "audience": _l("Audience"),
    "age_band": _l("Age band"),
    "language": _l("Language"),
    "sector": _l("Sector"),
    "reason": _l("Reason"),
}

CATEGORY_LABELS = {
    "mentor": _l("mentors"),
    "mentee": _l("mentees"),
    "unknown": _l("not known"),
    "declined_first_meeting": _l("declined at the first meeting"),
    "before_agreement": _l("stopped before the agreement"),
    "during_accompaniment": _l("stopped during the accompaniment"),
}
