"""Step 5: the first meeting is planned, then each side decides, privately, whether to go on.

Rules (each refusal is an :class:`~duo.duos.lifecycle.InvalidDuoTransition` with a message
for the person who tried, and changes nothing):

- The meeting is planned by a coordinator for a *proposed* duo, or planned again while no
  one has decided yet. It cannot be before the duo was proposed (local day), nor more than
  the branch's ``duos.first_meeting_max_days_ahead`` days from now. A place or a video
  link is required. Planning (again) sends both people an invitation with an ``.ics``.
- A decision opens once the planned time has passed, and is taken once per side, through
  the person's link or by a coordinator on their behalf (marked, with who and why).
- Neither side is told the other's answer. A "no" stops the duo at once (declined by that
  side: the pair is never suggested again, both return to the pool) and both are told the
  duo will not go on, without saying who declined. Two yeses confirm the duo: the
  agreement is next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.duos import config, history, lifecycle, states
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import PARTIES, Duo, DuoDecision

#: The first meeting lasts about this long (for the calendar invitation).
MEETING_LENGTH = timedelta(hours=2)


@dataclass(frozen=True)
class MeetingPlan:
    at: datetime
    place: str | None = None
    video_url: str | None = None
    coordinator_id: int | None = None


def plan(duo: Duo, meeting: MeetingPlan, *, by: object, tenant: Tenant) -> None:
    """Plan (or plan again) the first meeting; the invitation job follows the event."""
    if duo.state not in (states.PROPOSED, states.FIRST_MEETING):
        raise InvalidDuoTransition(_("The first meeting can no longer be planned."), "at")
    if duo.state == states.FIRST_MEETING and decisions(duo):
        raise InvalidDuoTransition(
            _("A decision was already taken: the first meeting cannot be moved."), "at"
        )
    at = meeting.at
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidDuoTransition(_("Give the date and time of the meeting."), "at")
    proposed_day = zones.local_date(duo.proposed_at, tenant.timezone)
    if zones.local_date(at, tenant.timezone) < proposed_day:
        raise InvalidDuoTransition(
            _("The first meeting cannot be before the duo was proposed."), "at"
        )
    ahead = int(config.setting(tenant, "first_meeting_max_days_ahead"))
    if at > utcnow() + timedelta(days=ahead):
        raise InvalidDuoTransition(
            _("Plan the first meeting within %(days)d days.", days=ahead), "at"
        )
    place = (meeting.place or "").strip() or None
    video = (meeting.video_url or "").strip() or None
    if place is None and video is None:
        raise InvalidDuoTransition(_("Give a place or a video link."), "place")
    if video is not None and not video.startswith(("https://", "http://")):
        raise InvalidDuoTransition(_("A video link starts with https:// or http://."), "video_url")
    again = duo.state == states.FIRST_MEETING
    duo.first_meeting_at = at.astimezone(UTC)
    duo.first_meeting_place = place
    duo.first_meeting_video_url = video
    duo.first_meeting_coordinator_id = meeting.coordinator_id
    if not again:
        lifecycle.transition(duo, states.FIRST_MEETING, by=by, tenant=tenant)
    history.record(
        duo,
        "first_meeting_planned",
        by=by,
        details={"at": at.isoformat(), "again": again},
    )
    lifecycle.notify_event(duo, "first_meeting_planned")


def decisions(duo: Duo) -> dict[str, DuoDecision]:
    """The decisions taken so far, by party."""
    rows = db.session.execute(select(DuoDecision).where(DuoDecision.duo_id == duo.id)).scalars()
    return {d.party: d for d in rows}


def decision_open(duo: Duo, now: datetime | None = None) -> bool:
    """Whether a decision can be taken now: at the first meeting, after its planned time."""
    return (
        duo.state == states.FIRST_MEETING
        and duo.first_meeting_at is not None
        and (now or utcnow()) >= duo.first_meeting_at
    )


def decide(
    duo: Duo,
    party: str,
    go_on: bool,
    *,
    tenant: Tenant,
    reason: str | None = None,
    by_person: object | None = None,
    on_behalf_of_by: object | None = None,
    on_behalf_reason: str | None = None,
) -> DuoDecision:
    """Record ``party``'s decision, by that person (``by_person``) or a coordinator
    (``on_behalf_of_by`` with ``on_behalf_reason``); then stop or confirm the duo."""
    if party not in PARTIES:
        raise InvalidDuoTransition(_("Choose the mentor or the mentee."), "party")
    if duo.state != states.FIRST_MEETING:
        raise InvalidDuoTransition(_("This duo is not waiting for a decision."))
    if not decision_open(duo):
        raise InvalidDuoTransition(_("The decision can be given after the first meeting."))
    taken = decisions(duo)
    if party in taken:
        raise InvalidDuoTransition(_("This decision was already given."))
    why = (on_behalf_reason or "").strip() or None
    if on_behalf_of_by is not None and why is None:
        raise InvalidDuoTransition(
            _("Say why you record this decision for them."), "on_behalf_reason"
        )
    person_id = duo.mentee_id if party == "mentee" else duo.mentor_id
    decision = DuoDecision(
        tenant_id=duo.tenant_id,
        duo_id=duo.id,
        party=party,
        go_on=bool(go_on),
        reason=(reason or "").strip()[:2000] or None,
        decided_at=utcnow(),
        recorded_by_user_id=getattr(on_behalf_of_by, "id", None),
        on_behalf_reason=why,
    )
    db.session.add(decision)
    history.record(
        duo,
        "decision",
        by=on_behalf_of_by,
        person_id=None if on_behalf_of_by is not None else getattr(by_person, "id", person_id),
        on_behalf=on_behalf_of_by is not None,
        note=why,
        details={"party": party},
    )
    db.session.flush()
    taken[party] = decision
    if not go_on:
        lifecycle.transition(
            duo,
            states.STOPPED,
            by=on_behalf_of_by,
            reason=_("Not continued after the first meeting."),
            declined_by=party,
            tenant=tenant,
        )
    elif all(p in taken and taken[p].go_on for p in PARTIES):
        lifecycle.transition(duo, states.CONFIRMED, by=on_behalf_of_by, tenant=tenant)
    return decision
