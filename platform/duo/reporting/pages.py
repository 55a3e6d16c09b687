"""What a figures page shows, built without a request: HQ's dashboard and a branch's.

Both read the same cubes; HQ's are suppressed, a branch's own are not
(``suppressed=False``). The charts are drawn from the very tables shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import get_month_names
from flask_babel import gettext as _

from duo.reporting import charts, query, tables
from duo.reporting.query import Branch


@dataclass
class Dashboard:
    year: int
    geo: tuple
    places: list[Branch]
    key_figures: tables.Table
    funnel: tables.Table
    funnel_chart: object
    trend: tables.Table
    trend_chart: object
    branches: tables.Table | None
    branches_chart: object | None
    stopped: tables.Table
    years: tables.Table
    years_chart: object

    def all_tables(self) -> list[tables.Table]:
        out = [self.key_figures, self.funnel, self.stopped, self.trend, self.years]
        if self.branches is not None:
            out.append(self.branches)
        return out


def month_labels(locale: str) -> list[str]:
    names = get_month_names("abbreviated", locale=locale or "en")
    return [names[m] for m in range(1, 13)]


def dashboard(
    year: int,
    places: list[Branch],
    geo: tuple,
    locale: str,
    suppressed: bool = True,
    grain: str = "m",
    shown: list[Branch] | None = None,
) -> Dashboard:
    """``places``: every branch the cube adds up (all of them for HQ, so that each cell is
    hidden the same way on every page); ``shown``: the branches the side-by-side table lists."""
    cubes = query.cubes(year, places, suppressed=suppressed)
    funnel = tables.funnel(cubes, geo)
    trend = tables.trend(cubes, geo, grain, month_labels(locale))
    shown = places if shown is None else shown
    side = tables.branches(cubes, shown, locale) if len(shown) > 1 else None
    side_chart = None
    if side is not None:
        only_branches = tables.Table(side.key, side.title, side.columns, keys=side.keys)
        ids = {b.name(locale) for b in shown}
        only_branches.rows = [r for r in side.rows if r[0] in ids]
        side_chart = charts.bars(
            only_branches,
            1,
            title=_("Duos started per branch"),
            desc=charts.describe(only_branches, 1),
        )
    years = tables.over_years(year, query.years(), places, geo, suppressed=suppressed)
    return Dashboard(
        year=year,
        geo=geo,
        places=places,
        key_figures=tables.key_figures(cubes, geo),
        funnel=funnel,
        funnel_chart=charts.bars(funnel, title=funnel.title, desc=charts.describe(funnel)),
        trend=trend,
        trend_chart=charts.columns(
            trend, 1, title=_("Duos started over the year"), desc=charts.describe(trend, 1)
        ),
        branches=side,
        branches_chart=side_chart,
        stopped=tables.stopped_by_reason(year, places, geo, suppressed=suppressed),
        years=years,
        years_chart=charts.columns(
            years,
            1,
            title=_("Duos started year after year"),
            desc=charts.describe(years, 1),
            skip_last=False,
        ),
    )
