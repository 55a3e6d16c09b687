"""Mentor-training schedules: turn a start date and a rhythm into a cycle of sessions.

A coordinator picks a start date and a rhythm ("weekly on Tuesday 18:00-21:00", "four
consecutive Mondays", "every other Thursday") and gets a *preview*: the dates of the
sessions, the days that were skipped and why, and any problem worth a look. Nothing here
touches Flask or the database; the training views store what the coordinator accepts.

Choices made here (the spec is silent on them):

- **Weeks.** A rhythm's weeks are Monday-to-Sunday weeks counted from the week that holds
  ``start``. With ``every_weeks=2`` sessions fall in weeks 0, 2, 4, ... of that count; a
  skipped day never shifts the cadence: the session simply goes to the next slot of the
  rhythm (so "four consecutive Mondays" with Easter Monday among them ends on the fifth).
- **Days skipped.** Public holidays of the branch's country (and subdivision, when the
  branch names one) and the branch's own ``closed_days``. Only days the rhythm would have
  used are listed as skipped. A day that is both a holiday and a closed day is reported
  as a holiday (with its name). ``closed_days`` may be dates, ISO strings (TOML files
  quote them) or a mapping ``{date: label}`` when the branch gives a reason.
- **Regional holidays** are whatever the ``holidays`` package publishes as *public*
  holidays for a subdivision: Alsace-Moselle (FR ``"57"``, ``"6AE"``) adds Good Friday and
  26 December. Belgium's subdivisions in the package (``Flemish``, ``French``, ``German``
  communities) only change *school* holidays, so community days such as 11 July are not
  public holidays here; a branch that closes on them lists them in ``closed_days``.
- **Holiday names** come from the ``holidays`` package in the coordinator's language:
  our locale is mapped to what the package offers for that country (``en`` -> ``en_US``),
  falling back to the country's default language (Dutch in Belgium and the Netherlands,
  French in France) rather than to untranslated English.
- **Time zones and daylight saving.** Every session is built from its own local date and
  the rhythm's wall-clock times in the branch's zone (``zoneinfo``), never by adding a
  timedelta to an aware datetime, so a Tuesday 18:00 session stays 18:00 local when the
  clocks change; only its UTC offset moves.
- **Times that do not exist or happen twice.** On the spring change a local time such as
  02:30 does not exist; it is read with ``fold=0`` (the offset in force before the change)
  and normalised to the wall-clock time it really is (03:30), with a warning. On the autumn
  change a time such as 02:30 happens twice; ``fold=0`` picks the first occurrence
  (summer time), with a warning. Training sessions at night are rare; the warning makes
  sure a coordinator sees it when it happens.
- **Problems** are codes with parameters, translated at display time by
  :func:`problem_message`. ``severity="error"`` means the preview is not usable as it is
  (e.g. not every session fits within ``max_weeks``); ``"warning"`` means it is, but look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import has_request_context
from flask_babel import gettext, lazy_gettext, ngettext

from duo.core.i18n import formatting

UTC = dt.UTC

PUBLIC_HOLIDAY = "public_holiday"
CLOSED_DAY = "closed_day"
SkipReason = Literal["public_holiday", "closed_day"]

ERROR = "error"
WARNING = "warning"

#: Short labels for the skip reasons, for table headers and filters.
SKIP_REASON_LABELS = {
    PUBLIC_HOLIDAY: lazy_gettext("Public holiday"),
    CLOSED_DAY: lazy_gettext("Branch closed"),
}

#: Weekday names in the order of ``date.weekday()`` (Monday = 0), for messages.
WEEKDAY_LABELS = (
    lazy_gettext("Monday"),
    lazy_gettext("Tuesday"),
    lazy_gettext("Wednesday"),
    lazy_gettext("Thursday"),
    lazy_gettext("Friday"),
    lazy_gettext("Saturday"),
    lazy_gettext("Sunday"),
)


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """Something a coordinator should know about a rhythm or a preview.

    ``code`` is stable (views and tests branch on it), ``params`` fill the translated
    sentence, ``field`` names the form field it belongs to when there is one.
    """

    code: str
    severity: str = ERROR
    params: Mapping[str, Any] = dc_field(default_factory=dict, hash=False)
    field: str | None = None

    @property
    def message(self) -> str:
        """The translated sentence (see :func:`problem_message`)."""
        return problem_message(self)


class ScheduleError(ValueError):
    """Raised when a rhythm or a session is invalid; ``problems`` says why, field by field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.code}{dict(p.params) or ''}" for p in self.problems))


def _format_date(value: dt.date) -> str:
    """A date for the reader's locale inside the app, ISO outside it (tests, CLI)."""
    if has_request_context():
        return formatting.format_date(value)
    return value.isoformat()


def _format_time(value: dt.time) -> str:
    return value.strftime("%H:%M")


def problem_message(problem: Problem) -> str:
    """Turn a problem code and its parameters into a sentence in the current language."""
    p = dict(problem.params)
    for key, value in list(p.items()):
        if isinstance(value, dt.date):
            p[key] = _format_date(value)
        elif isinstance(value, dt.time):
            p[key] = _format_time(value)
    code = problem.code
    if code == "end_not_after_start":
        return gettext("The end time must be after the start time.")
    if code == "no_weekday":
        return gettext("Choose at least one day of the week.")
    if code == "bad_weekday":
        return gettext("%(value)s is not a day of the week.", **p)
    if code == "bad_every_weeks":
        return gettext("The interval must be at least one week.")
    if code == "bad_count":
        return gettext("The number of sessions must be at least one.")
    if code == "not_all_placed":
        return gettext("Only %(placed)s of %(count)s sessions fit within %(weeks)s weeks.", **p)
    if code == "modules_not_scheduled":
        return ngettext(
            "%(num)d module has no session in this cycle.",
            "%(num)d modules have no session in this cycle.",
            p["missing"],
        )
    if code == "nonexistent_local_time":
        return gettext(
            "On %(date)s the clocks go forward: %(time)s does not exist and becomes %(actual)s.",
            **p,
        )
    if code == "ambiguous_local_time":
        return gettext(
            "On %(date)s the clocks go back: %(time)s happens twice; the first one is used.",
            **p,
        )
    if code == "bad_session_times":
        return gettext("The session must end after it starts.")
    if code == "session_cancelled":
        return gettext("A cancelled session cannot be moved.")
    return gettext("Invalid schedule (%(code)s).", code=code)


# --------------------------------------------------------------------------- rhythm


def rhythm_problems(
    weekdays: Iterable[Any], start: dt.time, end: dt.time, every_weeks: Any = 1
) -> list[Problem]:
    """Every problem of a rhythm at once, each tied to its field (for form validation)."""
    problems: list[Problem] = []
    days = list(weekdays)
    if not days:
        problems.append(Problem("no_weekday", field="weekdays"))
    for value in days:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            problems.append(Problem("bad_weekday", params={"value": value}, field="weekdays"))
    if not isinstance(start, dt.time) or not isinstance(end, dt.time) or not end > start:
        problems.append(Problem("end_not_after_start", field="end"))
    if isinstance(every_weeks, bool) or not isinstance(every_weeks, int) or every_weeks < 1:
        problems.append(Problem("bad_every_weeks", field="every_weeks"))
    return problems


@dataclass(frozen=True)
class Rhythm:
    """When sessions happen: which weekdays, from when to when, every how many weeks.

    ``weekdays`` uses ``date.weekday()`` numbers (Monday = 0) and is normalised to a sorted
    tuple without duplicates. Times are naive wall-clock times in the branch's zone; a
    session never crosses midnight (``end`` must be after ``start``). Invalid values raise
    :class:`ScheduleError` carrying every problem.
    """

    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    every_weeks: int = 1

    def __post_init__(self) -> None:
        problems = rhythm_problems(self.weekdays, self.start, self.end, self.every_weeks)
        if problems:
            raise ScheduleError(problems)
        object.__setattr__(self, "weekdays", tuple(sorted(set(self.weekdays))))
        # A rhythm is wall-clock time in the branch's zone: a tzinfo here would only mislead.
        object.__setattr__(self, "start", self.start.replace(tzinfo=None, fold=0))
        object.__setattr__(self, "end", self.end.replace(tzinfo=None, fold=0))

    @classmethod
    def weekly(cls, weekday: int, start: dt.time, end: dt.time) -> Rhythm:
        """One day a week, e.g. ``Rhythm.weekly(1, time(18), time(21))`` for Tuesday evenings."""
        return cls((weekday,), start, end)

    @property
    def text(self) -> str:
        """The rhythm in words, for the preview (see :func:`rhythm_text`)."""
        return rhythm_text(self)


def rhythm_text(rhythm: Rhythm) -> str:
    """The rhythm in words: "Tuesday, 18:00-21:00", "Every 2 weeks: Monday, Thursday, ..."."""
    days = ", ".join(str(WEEKDAY_LABELS[day]) for day in rhythm.weekdays)
    start, end = _format_time(rhythm.start), _format_time(rhythm.end)
    if rhythm.every_weeks == 1:
        return gettext("%(days)s, %(start)s-%(end)s", days=days, start=start, end=end)
    return gettext(
        "Every %(weeks)s weeks: %(days)s, %(start)s-%(end)s",
        weeks=rhythm.every_weeks,
        days=days,
        start=start,
        end=end,
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PlannedSession:
    """One session of a cycle.

    ``index`` is the 0-based position in the cycle (``number`` is 1-based, for people).
    ``starts_at`` / ``ends_at`` are aware datetimes in the branch's zone; ``local_date``
    is the day in that zone.
    """

    index: int
    module_key: str | None
    local_date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime

    def __post_init__(self) -> None:
        for value in (self.starts_at, self.ends_at):
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError("session datetimes must be timezone-aware")
        if not self.ends_at > self.starts_at:
            raise ScheduleError([Problem("bad_session_times", field="end")])

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def starts_at_utc(self) -> dt.datetime:
        return self.starts_at.astimezone(UTC)

    @property
    def ends_at_utc(self) -> dt.datetime:
        return self.ends_at.astimezone(UTC)

    @property
    def utc(self) -> tuple[dt.datetime, dt.datetime]:
        """``(start, end)`` in UTC, as the database stores them."""
        return self.starts_at_utc, self.ends_at_utc

    @property
    def duration(self) -> dt.timedelta:
        """Real elapsed time (a session over a clock change is an hour shorter or longer)."""
        return self.ends_at_utc - self.starts_at_utc


@dataclass(frozen=True)
class SkippedDay:
    """A day the rhythm would have used, and why it was not.

    ``label`` is the holiday's name in the requested language, the branch's own label for
    a closed day when it gave one, or None.
    """

    date: dt.date
    reason: SkipReason
    label: str | None = None

    @property
    def message(self) -> str:
        """A translated sentence for the preview, e.g. "Public holiday: Easter Monday"."""
        return skip_reason_text(self)


def skip_reason_text(skipped: SkippedDay) -> str:
    """Why a day was skipped, in the current language."""
    if skipped.reason == PUBLIC_HOLIDAY:
        if skipped.label:
            return gettext("Public holiday: %(name)s", name=skipped.label)
        return gettext("Public holiday")
    if skipped.label:
        return gettext("Branch closed: %(name)s", name=skipped.label)
    return gettext("Branch closed")


@dataclass(frozen=True)
class SchedulePreview:
    """What :func:`generate` proposes: sessions, skipped days, problems."""

    sessions: tuple[PlannedSession, ...]
    skipped: tuple[SkippedDay, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def dates(self) -> list[dt.date]:
        return [s.local_date for s in self.sessions]


# --------------------------------------------------------------------------- holidays


def _holidays_lib() -> Any:
    """The ``holidays`` package, imported when a schedule is first planned (it is large)."""
    import holidays

    return holidays


def holiday_language(country_class_or_code: Any, locale: str | None) -> str | None:
    """The ``holidays`` language for our locale (en/fr/nl) in a country.

    An exact match wins (``fr``), then a regional variant (``en`` -> ``en_US``, then any
    ``en_*``); otherwise the country's default language. It is always passed explicitly:
    left to itself the package picks a language from the process environment.
    """
    if isinstance(country_class_or_code, str):
        country = _holidays_lib().country_holidays(country_class_or_code)
    else:
        country = country_class_or_code
    supported = tuple(country.supported_languages or ())
    default = country.default_language
    if not locale:
        return default
    locale = locale.replace("-", "_")
    if locale in supported:
        return locale
    base = locale.split("_")[0].lower()
    if base in supported:
        return base
    preferred = {"en": "en_US"}.get(base)
    if preferred in supported:
        return preferred
    for candidate in sorted(supported):
        if candidate.split("_")[0].lower() == base:
            return candidate
    return default


def country_holidays(
    country: str,
    years: Iterable[int],
    *,
    subdivision: str | None = None,
    language: str | None = "en",
) -> Mapping[dt.date, str]:
    """Public holidays of a country (and subdivision) for the years, named in ``language``.

    Raises ValueError for an unknown country or subdivision (a config error, which the
    tenant validator should have caught).
    """
    years = sorted(set(years))
    try:
        probe = _holidays_lib().country_holidays(country, subdiv=subdivision)
    except NotImplementedError as exc:
        raise ValueError(f"unknown holidays country or subdivision: {exc}") from exc
    lang = holiday_language(probe, language)
    return _holidays_lib().country_holidays(country, subdiv=subdivision, years=years, language=lang)


def _closed_days(closed_days: Iterable[Any] | Mapping[Any, Any]) -> dict[dt.date, str | None]:
    """Normalise closed days (dates, ISO strings, or a mapping date -> label)."""
    result: dict[dt.date, str | None] = {}
    items: Iterable[tuple[Any, Any]]
    if isinstance(closed_days, Mapping):
        items = closed_days.items()
    else:
        items = ((value, None) for value in closed_days)
    for value, label in items:
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            day = dt.date.fromisoformat(value.strip())
        else:
            raise ValueError(f"not a date: {value!r}")
        result[day] = str(label) if label else None
    return result


# --------------------------------------------------------------------------- local time


def local_datetime(day: dt.date, at: dt.time, zone: ZoneInfo) -> tuple[dt.datetime, Problem | None]:
    """The aware datetime for a wall-clock time on a day in ``zone``, with a DST note.

    Built per date with ``fold=0``: a non-existent time (spring gap) is normalised to the
    wall-clock time it really is; an ambiguous one (autumn overlap) is its first occurrence.
    """
    naive = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0))
    aware = naive.replace(tzinfo=zone)
    normalised = aware.astimezone(UTC).astimezone(zone)
    if normalised.replace(tzinfo=None) != naive:
        return normalised, Problem(
            "nonexistent_local_time",
            WARNING,
            {"date": day, "time": at, "actual": normalised.time()},
        )
    if aware.replace(fold=1).utcoffset() != aware.utcoffset():
        return aware, Problem("ambiguous_local_time", WARNING, {"date": day, "time": at})
    return aware, None


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {timezone!r}") from exc


def _build_session(
    index: int,
    module_key: str | None,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    zone: ZoneInfo,
    notes: list[Problem],
) -> PlannedSession:
    starts_at, note = local_datetime(day, start, zone)
    if note:
        notes.append(note)
    ends_at, note = local_datetime(day, end, zone)
    if note:
        notes.append(note)
    return PlannedSession(index, module_key, day, starts_at, ends_at)


# --------------------------------------------------------------------------- generate


def generate(
    start: dt.date,
    rhythm: Rhythm,
    count: int | None = None,
    *,
    timezone: str,
    holidays_country: str,
    holidays_subdivision: str | None = None,
    closed_days: Iterable[Any] | Mapping[Any, Any] = (),
    module_keys: Sequence[str] = (),
    language: str = "en",
    max_weeks: int = 104,
) -> SchedulePreview:
    """Propose ``count`` sessions from ``start`` on, following ``rhythm``.

    With ``module_keys`` and no ``count``, there is one session per module, in order.
    With both, sessions get the modules in order; sessions beyond the modules get no
    module, modules beyond the sessions are reported (warning). The search stops after
    ``max_weeks`` weeks from ``start``; if not every session fits, the preview carries an
    ``not_all_placed`` error and the sessions that did fit.

    Raises ValueError for a bad time zone or holidays country/subdivision (configuration
    errors); problems of the coordinator's input come back in ``problems``.
    """
    zone = _zone(timezone)
    if isinstance(start, dt.datetime):
        start = start.date()
    module_keys = tuple(module_keys)
    if count is None:
        count = len(module_keys)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        return SchedulePreview((), (), (Problem("bad_count", field="count"),))

    problems: list[Problem] = []
    if len(module_keys) > count:
        problems.append(
            Problem(
                "modules_not_scheduled",
                WARNING,
                {"missing": len(module_keys) - count, "keys": ", ".join(module_keys[count:])},
            )
        )

    first_monday = start - dt.timedelta(days=start.weekday())
    stop = start + dt.timedelta(weeks=max_weeks)
    public = country_holidays(
        holidays_country,
        range(start.year, stop.year + 1),
        subdivision=holidays_subdivision,
        language=language,
    )
    closed = _closed_days(closed_days)

    sessions: list[PlannedSession] = []
    skipped: list[SkippedDay] = []
    notes: list[Problem] = []
    day = start
    while day < stop and len(sessions) < count:
        week = (day - first_monday).days // 7
        if day.weekday() in rhythm.weekdays and week % rhythm.every_weeks == 0:
            name = public.get(day)
            if name is not None:
                skipped.append(SkippedDay(day, PUBLIC_HOLIDAY, name or None))
            elif day in closed:
                skipped.append(SkippedDay(day, CLOSED_DAY, closed[day]))
            else:
                index = len(sessions)
                key = module_keys[index] if index < len(module_keys) else None
                sessions.append(
                    _build_session(index, key, day, rhythm.start, rhythm.end, zone, notes)
                )
        day += dt.timedelta(days=1)

    if len(sessions) < count:
        problems.append(
            Problem(
                "not_all_placed",
                ERROR,
                {"placed": len(sessions), "count": count, "weeks": max_weeks},
            )
        )
    return SchedulePreview(tuple(sessions), tuple(skipped), tuple(problems + notes))


def move(
    session: PlannedSession,
    new_date: dt.date,
    new_start: dt.time,
    new_end: dt.time,
) -> PlannedSession:
    """The same session on another day or at other times, in the same zone.

    Revalidated like a rhythm (end after start; DST handled as in :func:`generate`). The
    coordinator chose the date, so holidays are not checked here; raises
    :class:`ScheduleError` when the times are invalid.
    """
    if not isinstance(new_start, dt.time) or not isinstance(new_end, dt.time):
        raise ScheduleError([Problem("end_not_after_start", field="end")])
    if not new_end > new_start:
        raise ScheduleError([Problem("end_not_after_start", field="end")])
    zone = session.starts_at.tzinfo
    if not isinstance(zone, ZoneInfo):
        zone = _zone(str(zone))
    return _build_session(session.index, session.module_key, new_date, new_start, new_end, zone, [])
