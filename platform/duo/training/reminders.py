"""Which training-session reminders are due: pure selection, no sending.

A nightly (or hourly) job calls :func:`due_reminders` with the branch's sessions and
enrolments, the set of reminders already sent, and the current time; it writes one outbox
row per returned :class:`Reminder`, keyed by :func:`reminder_key`, in the same transaction
that records them as sent. Running it twice, or retrying it after a crash, sends nothing
twice: the key is unique per (session, person) and anything already in ``already_sent``
is left out.

Rules (the issue's, made precise):

- A reminder goes out **the day before** a session: the session's start date in the
  branch's time zone is the day after ``now``'s date in that zone. "Tomorrow" is a local
  calendar day, not "within 24 hours": at 23:30 UTC it is already the next day in
  Brussels, and the job must not remind people of a session that is, locally, today.
- **No reminder for a cancelled session**, nor for a withdrawn enrolment.
- **Never twice** for the same session and person: pairs in ``already_sent`` are skipped
  (given as ``(session_id, person_id)`` tuples or as :func:`reminder_key` strings), and a
  person enrolled twice in the same session gets one reminder.
- Each reminder carries the **person's locale** (falling back to the branch's default
  language) so that the e-mail is rendered in their language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SessionId = Hashable
PersonId = Hashable

REMINDER_KIND = "training-reminder"


def reminder_key(session_id: SessionId, person_id: PersonId) -> str:
    """The idempotency key of the reminder for a session and a person.

    Stable and free of personal data (ids only), so it can be a unique column in the
    outbox and an RQ job id.
    """
    return f"{REMINDER_KIND}:{session_id}:{person_id}"


@dataclass(frozen=True)
class SessionRef:
    """What the selection needs to know about a training session.

    ``starts_at`` must be timezone-aware (the database stores UTC).
    """

    session_id: SessionId
    starts_at: dt.datetime
    cancelled: bool = False

    def __post_init__(self) -> None:
        if self.starts_at.utcoffset() is None:
            raise ValueError("session start must be timezone-aware")


@dataclass(frozen=True)
class EnrolmentRef:
    """A person enrolled in a session, with the language they read (en, fr, nl).

    ``withdrawn`` enrolments get no reminder. ``locale`` None means "the branch default".
    """

    session_id: SessionId
    person_id: PersonId
    locale: str | None = None
    withdrawn: bool = False


@dataclass(frozen=True)
class Reminder:
    """A reminder to send: to whom, for which session, in which language."""

    session_id: SessionId
    person_id: PersonId
    locale: str
    starts_at: dt.datetime  # in the branch's zone, ready to be formatted for the e-mail

    @property
    def key(self) -> str:
        return reminder_key(self.session_id, self.person_id)


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {timezone!r}") from exc


def reminder_day(now: dt.datetime, timezone: str) -> dt.date:
    """The local date whose sessions get their reminder at ``now`` (tomorrow, locally)."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(_zone(timezone)).date() + dt.timedelta(days=1)


def due_reminders(
    sessions: Iterable[SessionRef],
    enrolments: Iterable[EnrolmentRef],
    already_sent: set[tuple[SessionId, PersonId]] | set[str] | Iterable[object],
    now: dt.datetime,
    timezone: str,
    *,
    default_locale: str = "en",
) -> list[Reminder]:
    """The reminders to send at ``now`` for sessions taking place tomorrow (local date).

    Ordered by session start, then session id and person id as text, so a run is
    reproducible. See the module docstring for the rules.
    """
    zone = _zone(timezone)
    day = reminder_day(now, timezone)
    sent = set(already_sent)

    tomorrow: dict[SessionId, dt.datetime] = {}
    for session in sessions:
        local_start = session.starts_at.astimezone(zone)
        if not session.cancelled and local_start.date() == day:
            tomorrow[session.session_id] = local_start

    due: dict[tuple[SessionId, PersonId], Reminder] = {}
    for enrolment in enrolments:
        pair = (enrolment.session_id, enrolment.person_id)
        if enrolment.withdrawn or enrolment.session_id not in tomorrow or pair in due:
            continue
        if pair in sent or reminder_key(*pair) in sent:
            continue
        due[pair] = Reminder(
            session_id=enrolment.session_id,
            person_id=enrolment.person_id,
            locale=enrolment.locale or default_locale,
            starts_at=tomorrow[enrolment.session_id],
        )
    return sorted(
        due.values(),
        key=lambda r: (r.starts_at, str(r.session_id), str(r.person_id)),
    )
