"""Reading figures: rollups in, a cube of values per place and period out.

This is the only way HQ, the branch dashboards, the exports, the API and the annual report
get figures. It reads :class:`~duo.reporting.models.RollupCell` and the branches' names and
countries, nothing else (a test checks the SQL of every HQ page). A :class:`Cube` holds one
indicator for one year: every branch, country and the whole organisation, by month, quarter
and year, with small cells suppressed (:mod:`duo.reporting.suppression`) unless the reader
is the branch itself.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import func, select

from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.reporting import indicators as ind
from duo.reporting.models import ALL, NO_BUCKET, RollupCell, RollupRefresh
from duo.reporting.periods import YEAR, Period, months_in, percentile, periods_of
from duo.reporting.settings import reporting_settings
from duo.reporting.suppression import DEFAULT_THRESHOLD, Value, suppress

ALL_GEO = ("all",)
Geo = tuple


def threshold() -> int:
    if has_app_context():
        return int(current_app.config.get("DUO_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Branch:
    id: int
    slug: str
    country: str
    names: dict
    active: bool
    timezone: str = "UTC"
    #: The country's own suppression threshold (``[reporting] suppression_threshold``).
    threshold: int | None = None

    def name(self, locale: str | None) -> str:
        return self.names.get(locale or "") or next(iter(self.names.values()))

    def today(self) -> date:
        """Today in the branch's time zone, by the platform's one clock."""
        return zones.local_today(self.timezone)


#: digest of a branch's configuration -> its country's suppression threshold (a branch's
#: configuration is only read again when it changed).
_THRESHOLDS: dict[str, int | None] = {}


def _thresholds(rows: list) -> dict[int, int | None]:
    missing = [tenant_id for tenant_id, digest in rows if digest not in _THRESHOLDS]
    if missing:
        for digest, config in db.session.execute(
            select(Tenant.digest, Tenant.config).where(Tenant.id.in_(missing))
        ):
            _THRESHOLDS[digest] = reporting_settings(config).suppression_threshold
    return {tenant_id: _THRESHOLDS.get(digest) for tenant_id, digest in rows}


def branches(country: str | None = None, slug: str | None = None) -> list[Branch]:
    """The branches (all, or of a country, or one), read once per request."""
    if has_request_context() and "duo_report_branches" in g:
        every = g.duo_report_branches
    else:
        every = _all_branches()
        if has_request_context():
            g.duo_report_branches = every
    out = list(every)
    if country:
        out = [b for b in out if b.country == country]
    if slug:
        out = [b for b in out if b.slug == slug]
    return out


def _all_branches() -> list[Branch]:
    rows = db.session.execute(
        select(
            Tenant.id,
            Tenant.slug,
            Tenant.country,
            Tenant.name,
            Tenant.active,
            Tenant.timezone,
            Tenant.digest,
        ).order_by(Tenant.country, Tenant.slug)
    ).all()
    limits = _thresholds([(r.id, r.digest) for r in rows])
    return [Branch(*r[:6], threshold=limits.get(r.id)) for r in rows]


def years() -> list[int]:
    """Every year from the first rollup's to this one (kept under the rollups' version)."""
    version = _version()
    span = _YEARS.get(version)
    if span is None:
        span = db.session.execute(
            select(func.min(RollupCell.month), func.max(RollupCell.month))
        ).one()
        _YEARS.clear()  # one version is current at a time
        _YEARS[version] = span
    first, last = span
    today = utcnow().year
    if first is None:
        return [today]
    return list(range(first.year, max(last.year, today) + 1))


def refreshed() -> dict[int, RollupRefresh]:
    return {r.tenant_id: r for r in db.session.execute(select(RollupRefresh)).scalars()}


class Rows(dict):
    """Rollup rows keyed ``(tenant, month, measure, category, bucket)`` -> (count, total),
    with the histograms (waiting days) indexed once for medians and percentiles."""

    _hist: dict[tuple[int, str, str, date], Counter] | None = None

    def histogram(self, tenant_id: int, measure: str, category: str, day: date) -> Counter:
        if self._hist is None:
            index: dict[tuple[int, str, str, date], Counter] = defaultdict(Counter)
            for (t, month, meas, cat, bucket), (count, _total) in self.items():
                if bucket != NO_BUCKET:
                    index[(t, meas, cat, month)][bucket] += count
            self._hist = index
        return self._hist.get((tenant_id, measure, category, day)) or Counter()


def load(year_from: int, year_to: int, tenant_ids: Iterable[int], dimension: str = ALL) -> Rows:
    """Rollup rows of these branches and years, for one dimension ('' = everybody)."""
    wanted = ind.measures()
    stmt = select(
        RollupCell.tenant_id,
        RollupCell.month,
        RollupCell.measure,
        RollupCell.category,
        RollupCell.bucket,
        RollupCell.count,
        RollupCell.total,
    ).where(
        RollupCell.month >= date(year_from, 1, 1),
        RollupCell.month <= date(year_to, 12, 1),
        RollupCell.dimension == dimension,
        RollupCell.tenant_id.in_(list(tenant_ids)),
        RollupCell.measure.in_(sorted(wanted)),
    )
    return Rows(
        ((t, m, meas, cat, b), (c, tot)) for t, m, meas, cat, b, c, tot in db.session.execute(stmt)
    )


@dataclass
class Cube:
    indicator: ind.Indicator
    year: int
    branches: list[Branch]
    category: str = ALL
    cells: dict[tuple[Geo, Period], Value] = field(default_factory=dict)

    def get(self, geo: Geo, period: Period = YEAR) -> Value:
        return self.cells.get((geo, period), Value(None, 0))

    @property
    def countries(self) -> list[str]:
        return sorted({b.country for b in self.branches})


def _accumulate(
    item: ind.Indicator, rows: Rows, tenant_id: int, year: int, months: list[int], category: str
) -> tuple[float, float, Counter]:
    """(numerator or count, denominator or n, histogram) over some months of one branch."""
    num = den = 0.0
    hist: Counter = Counter()
    for month in months:
        day = date(year, month, 1)
        if item.kind in (ind.MEDIAN, ind.P90):
            continue
        count, total = rows.get((tenant_id, day, item.measure, category, NO_BUCKET), (0, 0.0))
        if item.kind == ind.MEAN:
            num += total
            den += count
        else:
            num += count
            if item.denominator_measure:
                den += rows.get(
                    (tenant_id, day, item.denominator_measure, category, NO_BUCKET), (0, 0.0)
                )[0]
    if item.kind in (ind.MEDIAN, ind.P90):
        for month in months:
            hist.update(rows.histogram(tenant_id, item.measure, category, date(year, month, 1)))
    return num, den, hist


def _value(item: ind.Indicator, num: float, den: float, hist: Counter) -> Value:
    if item.kind in (ind.COUNT, ind.SNAPSHOT):
        return Value(num, int(num))
    if item.kind == ind.RATE:
        return Value(100.0 * num / den if den else None, int(den), numerator=num)
    if item.kind == ind.MEAN:
        return Value(num / den if den else None, int(den), numerator=num)
    n = sum(hist.values())
    return Value(percentile(hist, 0.5 if item.kind == ind.MEDIAN else 0.9), n)


def _last_month(year: int, period: Period, today: date) -> list[int]:
    """The last month of ``period`` that has begun on ``today`` (the branch's local day)."""
    months = [m for m in months_in(period) if date(year, m, 1) <= today]
    return months[-1:]


def build(
    item: ind.Indicator,
    year: int,
    rows: Rows,
    places: list[Branch],
    category: str = ALL,
    suppressed: bool = True,
) -> Cube:
    cube = Cube(item, year, places, category)
    parts: dict[tuple[Geo, Period], tuple[float, float, Counter]] = {}
    todays = {branch.id: branch.today() for branch in places}
    for period in periods_of(year):
        for branch in places:
            months = months_in(period)
            if item.kind == ind.SNAPSHOT:
                months = _last_month(year, period, todays[branch.id])
            parts[(("b", branch.id), period)] = _accumulate(
                item, rows, branch.id, year, months, category
            )
    totals: dict[tuple[Geo, Period], list] = defaultdict(lambda: [0.0, 0.0, Counter()])
    for ((_, tenant_id), period), (num, den, hist) in parts.items():
        branch = next(b for b in places if b.id == tenant_id)
        for geo in (("c", branch.country), ALL_GEO):
            acc = totals[(geo, period)]
            acc[0] += num
            acc[1] += den
            acc[2].update(hist)
    for key, (num, den, hist) in [*parts.items(), *((k, tuple(v)) for k, v in totals.items())]:
        cube.cells[key] = _value(item, num, den, hist)
    if suppressed:
        suppress(cube.cells, groups(cube), cell_thresholds(places))
    return cube


def cell_thresholds(places: list[Branch]):
    """The threshold of each cell: the platform's, or its country's when that asks for more.

    A branch's and a country's cells use the country's; the whole organisation's, the
    platform's (its total mixes every country, each of whose cells is already protected).
    """
    base = threshold()
    by_country: dict[str, int] = {}
    for branch in places:
        by_country[branch.country] = max(
            by_country.get(branch.country, base), branch.threshold or base
        )
    by_branch = {b.id: by_country[b.country] for b in places}

    def of(key) -> int:
        geo = key[0]
        if geo[0] == "b":
            return by_branch.get(geo[1], base)
        if geo[0] == "c":
            return by_country.get(geo[1], base)
        return base

    return of


def groups(cube: Cube) -> list[tuple[list, tuple]]:
    """Every set of cells that adds up to another (in people), for secondary suppression."""
    out = []
    periods = periods_of(cube.year)
    for period in periods:
        for country in cube.countries:
            members = [(("b", b.id), period) for b in cube.branches if b.country == country]
            out.append((members, (("c", country), period)))
        out.append(([(("c", c), period) for c in cube.countries], (ALL_GEO, period)))
    if cube.indicator.kind == ind.SNAPSHOT:
        return out  # a snapshot's year is its last month, not a sum of months
    geos = [("b", b.id) for b in cube.branches] + [("c", c) for c in cube.countries] + [ALL_GEO]
    for geo in geos:
        out.append(([(geo, ("m", m)) for m in range(1, 13)], (geo, YEAR)))
        out.append(([(geo, ("q", q)) for q in range(1, 5)], (geo, YEAR)))
        for q in range(1, 5):
            out.append(([(geo, ("m", m)) for m in months_in(("q", q))], (geo, ("q", q))))
    return out


def cubes(
    year: int,
    places: list[Branch],
    keys: Iterable[str] | None = None,
    suppressed: bool = True,
    dimension: str = ALL,
    category: str = ALL,
) -> dict[str, Cube]:
    """One cube per indicator (all of them unless ``keys``) for a year and some branches.

    Cubes are kept (a few dozen, in this process) under the version of the rollups they
    were built from: every branch's refresh hash and time, the thresholds and the day. A
    refresh of any branch changes the version, so a kept cube is never stale; a warm HQ
    page reads one small table (``report_refreshes``) instead of rebuilding every cube.
    Cubes returned are shared: read them, never change their cells.
    """
    items = [ind.indicator(k) for k in keys] if keys else list(ind.INDICATORS)
    key = (
        year,
        tuple((b.id, b.slug, b.country, b.active, b.timezone, b.threshold) for b in places),
        tuple(i.key for i in items),
        suppressed,
        dimension,
        category,
        threshold(),
        tuple(sorted({b.today() for b in places})),
        _version(),
    )
    found = _CUBES.get(key)
    if found is not None:
        _CUBES.move_to_end(key)
        return found
    rows = load(year, year, [b.id for b in places], dimension)
    made = {i.key: build(i, year, rows, places, category, suppressed) for i in items}
    _CUBES[key] = made
    while len(_CUBES) > CUBES_KEPT:
        _CUBES.popitem(last=False)
    return made


_YEARS: dict[tuple, tuple] = {}

#: How many sets of cubes a process keeps (HQ's pages, a few years and dimensions).
CUBES_KEPT = 48
_CUBES: OrderedDict = OrderedDict()


def _version() -> tuple:
    """What the rollups are now: every branch's last refresh (hash and time).

    Read once per request (a page asking for many cubes, such as the fairness view, reads
    it once); outside a request, every time.
    """
    if has_request_context() and "duo_rollup_version" in g:
        return g.duo_rollup_version
    version = tuple(
        db.session.execute(
            select(
                RollupRefresh.tenant_id, RollupRefresh.data_hash, RollupRefresh.refreshed_at
            ).order_by(RollupRefresh.tenant_id)
        ).all()
    )
    if has_request_context():
        g.duo_rollup_version = version
    return version


def categories(dimension: str, year: int, places: list[Branch]) -> list[str]:
    rows = db.session.execute(
        select(RollupCell.category)
        .where(
            RollupCell.dimension == dimension,
            RollupCell.month >= date(year, 1, 1),
            RollupCell.month <= date(year, 12, 1),
            RollupCell.tenant_id.in_([b.id for b in places]),
        )
        .distinct()
    ).scalars()
    return sorted(rows)
