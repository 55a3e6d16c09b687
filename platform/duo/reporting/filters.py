"""The year / country / branch filter of HQ's pages, exports and API, checked once.

A value that is not offered is dropped with a message (never a 500, never a guess): the
page then shows the default (this year, every country, every branch).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _

from duo.core.db import utcnow
from duo.reporting import query
from duo.reporting.query import Branch


@dataclass
class Filters:
    year: int
    country: str | None = None
    branch: str | None = None
    grain: str = "m"
    problems: list[str] = field(default_factory=list)
    places: list[Branch] = field(default_factory=list)

    @property
    def geo(self) -> tuple:
        if self.branch and self.places:
            return ("b", self.places[0].id)
        if self.country:
            return ("c", self.country)
        return query.ALL_GEO

    def args(self, **changes: object) -> dict[str, object]:
        out = {"year": self.year, "country": self.country, "branch": self.branch}
        if self.grain == "q":
            out["grain"] = "q"
        out.update(changes)
        return {k: v for k, v in out.items() if v}


def parse(args: Mapping[str, str]) -> Filters:
    every = query.branches()
    years = query.years()
    filters = Filters(year=utcnow().year)
    raw_year = (args.get("year") or "").strip()
    if raw_year:
        if raw_year.isdigit() and int(raw_year) in years:
            filters.year = int(raw_year)
        else:
            filters.problems.append(
                _("There are no figures for the year %(year)s.", year=raw_year[:8])
            )
    country = (args.get("country") or "").strip().lower()
    if country:
        if country in {b.country for b in every}:
            filters.country = country
        else:
            filters.problems.append(_("Unknown country: %(value)s.", value=country[:8]))
    slug = (args.get("branch") or "").strip().lower()
    if slug:
        match = [b for b in every if b.slug == slug]
        if match and (not filters.country or match[0].country == filters.country):
            filters.branch = slug
            filters.country = match[0].country
        elif match:
            filters.problems.append(
                _(
                    "The branch %(value)s is not in %(country)s.",
                    value=slug,
                    country=filters.country.upper(),
                )
            )
        else:
            filters.problems.append(_("Unknown branch: %(value)s.", value=slug[:40]))
    if args.get("grain") == "q":
        filters.grain = "q"
    filters.places = query.branches(filters.country, filters.branch)
    return filters
