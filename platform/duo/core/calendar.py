"""iCalendar output: subscription feeds (per branch, per person) and single invitations.

Built with the ``icalendar`` package so that escaping, line folding and time zones are
right; the tests parse the output back with it. What makes a feed import cleanly into
Google Calendar, Outlook and Apple Calendar:

- ``METHOD:PUBLISH``, ``X-WR-CALNAME`` / ``X-WR-TIMEZONE`` (the names those apps read),
  and a refresh hint (``REFRESH-INTERVAL`` and ``X-PUBLISHED-TTL``, one hour);
- every ``DTSTART`` / ``DTEND`` in the branch's zone with a ``TZID`` and a matching
  ``VTIMEZONE`` (generated from zoneinfo, with both STANDARD and DAYLIGHT rules for the
  years the events span), so wall-clock times survive daylight saving in every app;
- a **stable UID** per event (:func:`stable_uid` helps build one from ids) and a
  ``SEQUENCE`` that grows with every change, so an app updates the event instead of
  duplicating it;
- **cancelled events stay in the feed** with ``STATUS:CANCELLED``: apps remove (or strike
  through) an event they already imported only when they see it cancelled. The SEQUENCE
  written for a cancelled event is ``sequence + 1``, so that flipping ``cancelled`` alone
  is enough for apps to take the change; a caller that reinstates a cancelled event must
  therefore raise its stored ``sequence`` by at least two.

The output is deterministic for the same input and ``stamp`` (events are ordered by start
and UID; the calendar carries no random UID), so an HTTP layer can derive an ETag from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from duo.core.db import utcnow
from duo.core.emails import is_email

if TYPE_CHECKING:  # icalendar is imported where a calendar is written (it is large)
    from icalendar import Calendar, Event, Timezone, vCalAddress

DEFAULT_PRODID = "-//DUO for a JOB//duo//EN"

#: MIME type of a subscription feed.
FEED_CONTENT_TYPE = "text/calendar; charset=utf-8"

#: How often calendar apps should refresh a feed.
REFRESH_INTERVAL = dt.timedelta(hours=1)

_UID_PART = re.compile(r"[^A-Za-z0-9._-]+")


def invitation_content_type(method: str = "REQUEST") -> str:
    """MIME type of an e-mail ``.ics`` attachment (mail clients read ``method`` from it)."""
    return f"text/calendar; charset=utf-8; method={method}"


def stable_uid(*parts: object, domain: str = "duoforajob.org") -> str:
    """A UID that never changes for the same parts, e.g. ``("training", "brussels", 42)``.

    Use database ids, never names or e-mail addresses (UIDs end up in people's calendars).
    """
    cleaned = [_UID_PART.sub("-", str(part)).strip("-") for part in parts]
    if not any(cleaned):
        raise ValueError("a UID needs at least one non-empty part")
    return f"{'-'.join(p for p in cleaned if p)}@{domain}"


@dataclass(frozen=True)
class FeedEvent:
    """One event of a feed or invitation.

    ``starts_at`` / ``ends_at`` must be timezone-aware (any zone: they are written in the
    calendar's zone). ``sequence`` is the revision number the caller keeps (0 for a new
    event, +1 for every change of date, time or place).
    """

    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0

    def __post_init__(self) -> None:
        if not self.uid or not self.uid.strip() or any(c in self.uid for c in "\r\n"):
            raise ValueError("an event needs a one-line, non-empty UID")
        for value in (self.starts_at, self.ends_at):
            if not isinstance(value, dt.datetime) or value.utcoffset() is None:
                raise ValueError("event times must be timezone-aware datetimes")
        if not self.ends_at > self.starts_at:
            raise ValueError("an event must end after it starts")
        if isinstance(self.sequence, bool) or self.sequence < 0:
            raise ValueError("sequence must be a non-negative integer")

    @property
    def effective_sequence(self) -> int:
        """The SEQUENCE written out: one more for a cancelled event (see module doc)."""
        return self.sequence + (1 if self.cancelled else 0)

    @property
    def status(self) -> str:
        return "CANCELLED" if self.cancelled else "CONFIRMED"


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {timezone!r}") from exc


def _utc_stamp(stamp: dt.datetime | None) -> dt.datetime:
    if stamp is None:
        stamp = utcnow()
    elif stamp.utcoffset() is None:
        raise ValueError("stamp must be timezone-aware")
    return stamp.astimezone(dt.UTC).replace(microsecond=0)


def _vtimezone(timezone: str, events: list[FeedEvent], stamp: dt.datetime) -> Timezone:
    """A VTIMEZONE covering the events' years (and the year around ``stamp``).

    A window of whole years always holds both the summer and the winter rule of a zone with
    daylight saving; keeping it to the years in use keeps the feed small.
    """
    days = [stamp.date()]
    for event in events:
        days += [event.starts_at.date(), event.ends_at.date()]
    first = dt.date(min(days).year - 1, 1, 1)
    last = dt.date(max(days).year + 2, 1, 1)
    from icalendar import Timezone

    return Timezone.from_tzid(timezone, first_date=first, last_date=last)


def _event_component(event: FeedEvent, zone: ZoneInfo, stamp: dt.datetime) -> Event:
    from icalendar import Event

    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", event.summary)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if event.url:
        component.add("url", event.url)
    component.add("status", event.status)
    component.add("sequence", event.effective_sequence)
    component.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")
    return component


def _calendar(prodid: str, method: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _sorted(events: Iterable[FeedEvent]) -> list[FeedEvent]:
    items = list(events)
    seen: set[str] = set()
    for event in items:
        if event.uid in seen:
            raise ValueError(f"duplicate event UID in one calendar: {event.uid!r}")
        seen.add(event.uid)
    return sorted(items, key=lambda e: (e.starts_at.astimezone(dt.UTC), e.uid))


def build_calendar(
    events: Iterable[FeedEvent],
    *,
    name: str,
    timezone: str,
    prodid: str = DEFAULT_PRODID,
    stamp: dt.datetime | None = None,
) -> bytes:
    """A subscription feed (``METHOD:PUBLISH``) holding ``events``, as iCalendar bytes.

    ``name`` is what calendar apps show for the subscription (translate it before
    calling). ``stamp`` (DTSTAMP of every event) defaults to now; pass it for reproducible
    output. Raises ValueError for an unknown zone or duplicate UIDs.
    """
    zone = _zone(timezone)
    utc_stamp = _utc_stamp(stamp)
    items = _sorted(events)
    calendar = _calendar(prodid, "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    from icalendar import vText

    calendar.add("x-published-ttl", vText("PT1H"))
    calendar.add_component(_vtimezone(timezone, items, utc_stamp))
    for event in items:
        calendar.add_component(_event_component(event, zone, utc_stamp))
    return calendar.to_ical()


def _address(email: str, name: str | None, **params: str) -> vCalAddress:
    email = email.strip()
    if not is_email(email):
        raise ValueError(f"not an e-mail address: {email!r}")
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = vText(value)
    return address


def single_event_invitation(
    event: FeedEvent,
    *,
    organizer_email: str,
    attendee_email: str | None = None,
    timezone: str,
    organizer_name: str | None = None,
    attendee_name: str | None = None,
    prodid: str = DEFAULT_PRODID,
    stamp: dt.datetime | None = None,
) -> bytes:
    """One event as an e-mail attachment (``.ics``), e.g. an info-session confirmation.

    ``METHOD:REQUEST`` with ORGANIZER and ATTENDEE, which mail clients show as an
    invitation with "add to calendar". Choices:

    - a cancelled event becomes ``METHOD:CANCEL`` (same UID, higher SEQUENCE), which makes
      mail clients remove the event added from the earlier invitation;
    - without ``attendee_email`` the method is ``PUBLISH`` (with STATUS:CANCELLED when
      cancelled): iTIP (RFC 5546) requires an ATTENDEE in a REQUEST or CANCEL, and some
      clients refuse one without it;
    - the attendee is asked for no reply (``RSVP=FALSE``): registration happens on our
      pages, not by mail.

    Use :func:`invitation_content_type` with the same method for the MIME part.
    """
    zone = _zone(timezone)
    utc_stamp = _utc_stamp(stamp)
    method = invitation_method(event, attendee_email)
    calendar = _calendar(prodid, method)
    calendar.add_component(_vtimezone(timezone, [event], utc_stamp))
    component = _event_component(event, zone, utc_stamp)
    component.add("organizer", _address(organizer_email, organizer_name))
    if attendee_email:
        component.add(
            "attendee",
            _address(
                attendee_email,
                attendee_name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="FALSE",
            ),
        )
    calendar.add_component(component)
    return calendar.to_ical()


def invitation_method(event: FeedEvent, attendee_email: str | None) -> str:
    """The METHOD :func:`single_event_invitation` uses (for the MIME type)."""
    if not attendee_email:
        return "PUBLISH"
    return "CANCEL" if event.cancelled else "REQUEST"


def invitation_attachment(
    filename: str,
    event: FeedEvent,
    timezone: str,
    organizer: tuple[str, str | None],
    attendee: tuple[str | None, str | None],
) -> tuple[str, str, bytes]:
    """The event as a mail attachment ``(filename, content type, bytes)`` for one attendee.

    ``organizer`` and ``attendee`` are ``(e-mail, name)`` pairs.

    An address the calendar format cannot carry does not stop the mail: the event is then
    published without an attendee (a calendar app still adds it, it just cannot reply).
    """
    (organizer_email, organizer_name), (attendee_email, attendee_name) = organizer, attendee
    try:
        data = single_event_invitation(
            event,
            organizer_email=organizer_email,
            organizer_name=organizer_name,
            attendee_email=attendee_email,
            attendee_name=attendee_name,
            timezone=timezone,
        )
    except ValueError:
        attendee_email = None
        data = single_event_invitation(event, organizer_email=organizer_email, timezone=timezone)
    return (filename, invitation_content_type(invitation_method(event, attendee_email)), data)
