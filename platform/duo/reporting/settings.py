"""The reporting settings of a branch: the country's variants of the definitions.

A country file (``tenants/countries/<cc>.toml``) may carry a ``[reporting]`` section
(validated by ``duo.core.tenancy.config.steps.ReportingSchema``) and a branch may override
it; what is missing falls back to the programme's own settings
(``programme.duration_months``, ``programme.follow_up_months``) and to the defaults below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Outcomes counted as positive unless the country says otherwise.
DEFAULT_POSITIVE = ("job", "internship", "training")


@dataclass(frozen=True)
class ReportingSettings:
    #: A duo "reaches six months" when its accompaniment lasted this many months.
    reach_months: int = 6
    #: Outcomes are those known within this many months after the end.
    outcome_months: int = 12
    #: A job counts as stable from this many months on.
    stable_job_months: int = 3
    #: Which outcomes are positive.
    positive_outcomes: tuple[str, ...] = DEFAULT_POSITIVE
    #: The country's own minimum of people behind a figure HQ sees (None: the platform's).
    suppression_threshold: int | None = None


def reporting_settings(config: Mapping[str, Any] | None) -> ReportingSettings:
    config = config or {}
    programme = config.get("programme") or {}
    section = config.get("reporting") or {}
    return ReportingSettings(
        reach_months=int(section.get("reach_months", programme.get("duration_months", 6))),
        outcome_months=int(section.get("outcome_months", programme.get("follow_up_months", 12))),
        stable_job_months=int(section.get("stable_job_months", 3)),
        positive_outcomes=tuple(section.get("positive_outcomes", DEFAULT_POSITIVE)),
        suppression_threshold=(
            int(section["suppression_threshold"]) if "suppression_threshold" in section else None
        ),
    )
