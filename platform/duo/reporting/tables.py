"""The tables HQ and the branches look at, built from cubes: one shape for pages, exports, API.

A :class:`Table` is a title, column headings and rows of :class:`Cell` (a number already
suppressed or not, with how to show it). Pages render it next to its chart, the exports
write it to CSV or XLSX, the API returns it as JSON: the same figures and the same hidden
cells everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import format_decimal
from flask_babel import gettext as _

from duo.core.i18n import language_name
from duo.people import vocab
from duo.reporting import indicators as ind
from duo.reporting import query
from duo.reporting.query import ALL_GEO, YEAR, Branch, Cube
from duo.reporting.suppression import Value, suppress

SUPPRESSED = "<10"


@dataclass
class Cell:
    value: float | None
    suppressed: bool = False
    kind: str = ind.COUNT
    n: int = 0

    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED if self.kind in (ind.COUNT, ind.SNAPSHOT) else "–"
        if self.value is None:
            return "–"
        if self.kind == ind.RATE:
            return format_decimal(round(self.value), "#,##0") + " %"
        if self.kind == ind.MEAN:
            return format_decimal(self.value, "#,##0.0")
        return format_decimal(self.value, "#,##0")

    def export(self) -> float | int | str | None:
        """The cell as a spreadsheet holds it: counts as whole numbers, rates and means to
        one decimal, a hidden cell as "<10" (a count) or the word for hidden."""
        if self.suppressed:
            return SUPPRESSED if self.kind in (ind.COUNT, ind.SNAPSHOT) else _("hidden")
        if self.value is None:
            return None
        if self.kind in (ind.RATE, ind.MEAN):
            return round(self.value, 1)
        if self.kind in (ind.COUNT, ind.SNAPSHOT) and float(self.value).is_integer():
            return int(self.value)
        return self.value


def titled(item: ind.Indicator) -> str:
    """An indicator's title with its unit, where it has one ("..., median (days)")."""
    return f"{item.title} ({item.unit})" if item.unit else str(item.title)


def cell(value: Value, kind: str) -> Cell:
    return Cell(value.value, value.suppressed, kind, value.n)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    #: Indicator keys of the rows or columns, for links to definitions.
    keys: list[str] = field(default_factory=list)

    def as_rows(self) -> list[list[object]]:
        return [[label, *(c.export() for c in cells)] for label, cells in self.rows]


def geo_label(geo: tuple, places: list[Branch], locale: str | None) -> str:
    if geo == ALL_GEO:
        return _("All branches")
    if geo[0] == "c":
        return geo[1].upper()
    branch = next(b for b in places if b.id == geo[1])
    return branch.name(locale)


def scope_geo(places: list[Branch], country: str | None, slug: str | None) -> tuple:
    if slug and places:
        return ("b", places[0].id)
    if country:
        return ("c", country)
    return ALL_GEO


def key_figures(cubes: dict[str, Cube], geo: tuple) -> Table:
    """Every indicator for one place over the year."""
    table = Table("indicators", _("Key figures"), [_("Indicator"), _("Year")])
    for key, cube in cubes.items():
        table.rows.append((titled(cube.indicator), [cell(cube.get(geo), cube.indicator.kind)]))
        table.keys.append(key)
    return table


def funnel(cubes: dict[str, Cube], geo: tuple) -> Table:
    table = Table("funnel", _("From sign-up to evaluation"), [_("Step"), _("People")])
    for key, cube in cubes.items():
        if cube.indicator.section == "funnel":
            table.rows.append((titled(cube.indicator), [cell(cube.get(geo), ind.COUNT)]))
            table.keys.append(key)
    return table


BRANCH_COLUMNS = (
    "funnel.signed_up",
    "duos.started",
    "duos.active",
    "duos.six_months",
    "wait.median",
    "mentors.again",
)


def branches(cubes: dict[str, Cube], places: list[Branch], locale: str | None) -> Table:
    """Branches side by side, with their countries and the total."""
    keys = [k for k in BRANCH_COLUMNS if k in cubes]
    columns = [_("Branch"), *(titled(cubes[k].indicator) for k in keys)]
    table = Table("branches", _("Branches side by side"), columns, keys=keys)
    geos: list[tuple] = []
    for country in sorted({b.country for b in places}):
        geos += [("b", b.id) for b in places if b.country == country]
        geos.append(("c", country))
    if len({b.country for b in places}) > 1:
        geos.append(ALL_GEO)
    for geo in geos:
        label = geo_label(geo, places, locale)
        table.rows.append((label, [cell(cubes[k].get(geo), cubes[k].indicator.kind) for k in keys]))
    return table


TREND_KEYS = ("funnel.signed_up", "duos.started", "duos.completed")


def trend(cubes: dict[str, Cube], geo: tuple, grain: str, months: list[str]) -> Table:
    """Some indicators by month or quarter of the year."""
    keys = [k for k in TREND_KEYS if k in cubes]
    periods = [("m", m) for m in range(1, 13)] if grain == "m" else [("q", q) for q in range(1, 5)]
    labels = months if grain == "m" else [f"Q{q}" for q in range(1, 5)]
    table = Table(
        "trend",
        _("Over the year"),
        [_("Period"), *(titled(cubes[k].indicator) for k in keys)],
        keys=keys,
    )
    for label, period in zip(labels, periods, strict=True):
        table.rows.append(
            (label, [cell(cubes[k].get(geo, period), cubes[k].indicator.kind) for k in keys])
        )
    table.rows.append(
        (_("Year"), [cell(cubes[k].get(geo, YEAR), cubes[k].indicator.kind) for k in keys])
    )
    return table


FAIRNESS_KEYS = ("wait.median", "wait.p90", "duos.started", "duos.six_months")


def fairness(
    year: int, places: list[Branch], dimension: str, geo: tuple, suppressed: bool = True
) -> Table:
    """Waiting and duo figures by age band, language, sector or audience, for one place."""
    keys = [k for k in FAIRNESS_KEYS if dimension in ind.indicator(k).dimensions]
    keys += [
        i.key
        for i in ind.INDICATORS
        if i.section == "outcomes" and dimension in i.dimensions and i.key not in keys
    ]
    return by_category(
        year,
        places,
        dimension,
        geo,
        keys,
        query.categories(dimension, year, places),
        key="fairness",
        title=_("Who the programme serves"),
        total=_("Everybody"),
        suppressed=suppressed,
    )


#: The kinds of reason a duo stops for, in the order of a duo's life.
STOP_REASONS = ("declined_first_meeting", "before_agreement", "during_accompaniment")


def stopped_by_reason(
    year: int, places: list[Branch], geo: tuple, suppressed: bool = True
) -> Table:
    """Duos stopped early in the year, by the kind of reason (never the written reason)."""
    return by_category(
        year,
        places,
        "reason",
        geo,
        ["duos.stopped"],
        list(STOP_REASONS),
        key="stopped",
        title=_("Duos stopped early, by reason"),
        total=_("All reasons"),
        suppressed=suppressed,
    )


def by_category(
    year: int,
    places: list[Branch],
    dimension: str,
    geo: tuple,
    keys: list[str],
    cats: list[str],
    *,
    key: str,
    title: str,
    total: str,
    suppressed: bool = True,
) -> Table:
    """Indicators (columns) by category of one dimension (rows), and their total, for one
    place (:func:`category_values` says how they are hidden)."""
    columns = [
        str(ind.DIMENSION_LABELS.get(dimension, dimension)),
        *(titled(ind.indicator(k)) for k in keys),
    ]
    table = Table(key, title, columns, keys=keys)
    shown = category_values(year, places, dimension, keys, cats, suppressed=suppressed)
    for cat in cats:
        table.rows.append(
            (
                category_label(dimension, cat),
                [cell(shown[k][(cat, geo)], ind.indicator(k).kind) for k in keys],
            )
        )
    table.rows.append((total, [cell(shown[k][("", geo)], ind.indicator(k).kind) for k in keys]))
    return table


def category_values(
    year: int,
    places: list[Branch],
    dimension: str,
    keys: list[str],
    cats: list[str],
    *,
    suppressed: bool = True,
) -> dict[str, dict[tuple[str, tuple], Value]]:
    """Each indicator's year by ``(category, place)`` for every place (``""``: everybody).

    Suppression looks at the whole year's cube of every category: branches add up to
    countries within a category, and categories add up to everybody within a place.
    """
    everybody = query.cubes(year, places, keys, suppressed=False)
    per_cat = {
        cat: query.cubes(year, places, keys, suppressed=False, dimension=dimension, category=cat)
        for cat in cats
    }
    geos = [("b", b.id) for b in places] + [("c", c) for c in sorted({b.country for b in places})]
    geos.append(ALL_GEO)
    shown: dict[str, dict] = {}
    of_place = query.cell_thresholds(places)
    limit = lambda key: of_place((key[1], YEAR))  # noqa: E731 - keys are (category, place)
    for item in keys:
        # Copies: the cubes are shared (kept by query.cubes) and suppression marks cells.
        cells = {("", g): replace(everybody[item].get(g)) for g in geos}
        for cat in cats:
            cells.update({(cat, g): replace(per_cat[cat][item].get(g)) for g in geos})
        groups = []
        for cat in ["", *cats]:
            for country in sorted({b.country for b in places}):
                members = [(cat, ("b", b.id)) for b in places if b.country == country]
                groups.append((members, (cat, ("c", country))))
            groups.append(
                ([(cat, ("c", c)) for c in sorted({b.country for b in places})], (cat, ALL_GEO))
            )
        for g in geos:
            groups.append(([(cat, g) for cat in cats], ("", g)))
        if suppressed:
            suppress(cells, groups, limit)
        shown[item] = cells
    return shown


def category_label(dimension: str, category: str) -> str:
    """A category in the reader's language: a sector, a language, an audience or a reason
    in words (a code nobody outside the platform reads), an age band as it is."""
    if category in ind.CATEGORY_LABELS:
        return str(ind.CATEGORY_LABELS[category])
    if dimension == "sector":
        return str(vocab.label(vocab.SECTOR_LABELS, category))
    if dimension == "language":
        return language_name(category)
    return category


#: The figures followed year after year on the dashboards.
YEAR_KEYS = ("funnel.signed_up", "duos.started", "duos.six_months")
#: How many years the long trend shows, up to the chosen one.
TREND_YEARS = 6


def over_years(
    year: int, year_list: list[int], places: list[Branch], geo: tuple, suppressed: bool = True
) -> Table:
    """Some indicators year after year, up to ``year`` (the long trend), each year's cube
    suppressed on its own as on the page of that year."""
    shown_years = [y for y in year_list if y <= year][-TREND_YEARS:]
    keys = list(YEAR_KEYS)
    table = Table(
        "years",
        _("Year after year"),
        [_("Year"), *(titled(ind.indicator(k)) for k in keys)],
        keys=keys,
    )
    for each in shown_years:
        cubes = query.cubes(each, places, keys, suppressed=suppressed)
        table.rows.append(
            (str(each), [cell(cubes[k].get(geo), cubes[k].indicator.kind) for k in keys])
        )
    return table


def by_country(cubes: dict[str, Cube], countries: list[str]) -> Table:
    """Every indicator (rows) for each country and the whole organisation (columns)."""
    geos = [("c", c) for c in countries] + [ALL_GEO]
    columns = [_("Indicator"), *(c.upper() for c in countries), _("All branches")]
    table = Table("countries", _("Key figures per country"), columns)
    for key, cube in cubes.items():
        table.rows.append(
            (titled(cube.indicator), [cell(cube.get(g), cube.indicator.kind) for g in geos])
        )
        table.keys.append(key)
    return table
