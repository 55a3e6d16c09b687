"""Calendar feeds behind secret links: they parse, they follow changes, they can be revoked,
and they never cross branches."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from duo.core.db import db as _db
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.training import enrolment, feeds, planning
from duo.training.models import FeedToken
from support import FUTURE, make_cycle

pytestmark = pytest.mark.usefixtures("training_clock")

TOKEN_URL = re.compile(r'id="new-link-url"[^>]*value="http://[^/]+(/[^"]+\.ics)"')


def new_link(client, url: str) -> str:
    response = client.post(url)
    assert response.status_code == 200
    match = TOKEN_URL.search(response.get_data(as_text=True))
    assert match, "the new link is shown once"
    return match.group(1)


def fetch(client, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_branch_feed_imports_cleanly_and_keeps_local_time_over_dst(
    coordinator, client, tenants
) -> None:
    rotterdam = tenants["rotterdam"]
    cycle = make_cycle(rotterdam, start=FUTURE + dt.timedelta(days=43), count=4)
    with tenant_scope(rotterdam.id):
        planning.cancel_session(cycle.sessions[3], reason="Zaal bezet")
        uids = {f"training-session-{s.id}@duoforajob.org" for s in cycle.sessions}
        cycle_path = f"/rotterdam/training/cycles/{cycle.id}"
    staff = coordinator("rotterdam")
    path = new_link(staff, "/rotterdam/training/calendar/link")
    calendar = fetch(client, path)  # anonymous: the link is the key
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert calendar.get_missing_tzids() == set()
    found = events(calendar)
    assert {str(e["UID"]) for e in found} == uids
    starts = [e.decoded("DTSTART") for e in found]
    assert all(e["DTSTART"].params["TZID"] == "Europe/Amsterdam" for e in found)
    assert [s.hour for s in starts] == [18, 18, 18, 18]
    assert [s.astimezone(dt.UTC).hour for s in starts] == [16, 16, 17, 17]  # 27 Oct 2030
    assert [str(e["STATUS"]) for e in found] == ["CONFIRMED"] * 3 + ["CANCELLED"]
    assert "Zaal bezet" in str(found[3]["DESCRIPTION"])
    assert str(found[0]["URL"]).endswith(cycle_path)


def test_feed_follows_a_move_with_a_higher_sequence_and_supports_etags(
    coordinator, client, tenants
) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels, count=2, modules=None)
    path = new_link(coordinator("brussels"), "/brussels/training/calendar/link")
    first = client.get(path)
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with tenant_scope(brussels.id):
        planning.move_session(
            brussels, cycle.sessions[0], FUTURE + dt.timedelta(days=3), dt.time(9), dt.time(12)
        )
    second = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    (moved, _other) = events(Calendar.from_ical(second.data))
    assert moved.decoded("SEQUENCE") == 1
    assert moved.decoded("DTSTART") == dt.datetime.combine(
        FUTURE + dt.timedelta(days=3), dt.time(9), tzinfo=ZoneInfo("Europe/Brussels")
    )


def test_revoking_or_renewing_a_link_gives_404(coordinator, client, tenants) -> None:
    make_cycle(tenants["ghent"], count=1, modules=None)
    staff = coordinator("ghent")
    old = new_link(staff, "/ghent/training/calendar/link")
    assert client.get(old).status_code == 200
    renewed = new_link(staff, "/ghent/training/calendar/link")
    assert client.get(old).status_code == 404
    assert client.get(renewed).status_code == 200
    assert staff.post("/ghent/training/calendar/revoke").status_code == 302
    assert client.get(renewed).status_code == 404
    page = staff.get("/ghent/training/calendar").get_data(as_text=True)
    assert 'id="create-branch-link"' in page and 'id="revoke-branch-link"' not in page


def test_tokens_are_stored_hashed(coordinator, tenants) -> None:
    path = new_link(coordinator("lille"), "/lille/training/calendar/link")
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    with tenant_scope(tenants["lille"].id):
        (row,) = _db.session.execute(select(FeedToken)).scalars()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in vars(row).values()}


def test_links_of_one_branch_do_not_work_under_another(coordinator, client, tenants) -> None:
    make_cycle(tenants["paris"], count=1, modules=None)
    path = new_link(coordinator("paris"), "/paris/training/calendar/link")
    assert client.get(path).status_code == 200
    token_part = path.removeprefix("/paris/")
    for slug in ("rotterdam", "lyon", "hq"):
        assert client.get(f"/{slug}/{token_part}").status_code == 404
    assert client.get("/paris/training/calendar/not-a-token.ics").status_code == 404


def test_personal_feed_holds_the_persons_sessions_in_their_language(
    coordinator, client, tenants, create_person
) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels, title="Automne")
    other = make_cycle(brussels, title="Ailleurs", start=FUTURE + dt.timedelta(days=126))
    mentor = create_person("brussels", role="mentor", state=states.ELIGIBLE, locale="nl")
    with tenant_scope(brussels.id):
        row = enrolment.enrol(cycle, mentor)
        enrolment.enrol(other, mentor, session=other.sessions[0])
        expected = {s.id for s in cycle.sessions} | {other.sessions[0].id}
        in_cycle = len(cycle.sessions)
    link_url = f"/brussels/training/people/{mentor.id}/calendar-link"
    staff = coordinator("brussels")
    path = new_link(staff, link_url)
    found = events(fetch(client, path))
    assert {str(e["UID"]) for e in found} == {
        f"training-session-{sid}@duoforajob.org" for sid in expected
    }
    assert str(found[0]["SUMMARY"]) == "Actief luisteren"  # the mentor reads Dutch
    # Leaving the cycle keeps its sessions in the feed, cancelled, so calendars drop them.
    with tenant_scope(brussels.id):
        enrolment.withdraw(row)
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in events(fetch(client, path))}
    assert list(statuses.values()).count("CANCELLED") == in_cycle
    # Revoked: 404 from now on.
    assert staff.post(f"{link_url}/revoke").status_code == 302
    assert client.get(path).status_code == 404


def test_person_link_of_one_branch_is_404_under_another(
    coordinator, client, tenants, create_person
) -> None:
    mentor = create_person("antwerp", role="mentor", state=states.ELIGIBLE)
    link_url = f"/antwerp/training/people/{mentor.id}/calendar-link"
    path = new_link(coordinator("antwerp"), link_url)
    assert client.get(path).status_code == 200
    assert client.get(path.replace("/antwerp/", "/mechelen/", 1)).status_code == 404
    assert client.get(path.replace("/antwerp/", "/ghent/", 1)).status_code == 404


def test_feed_lookup_is_scoped_by_the_ORM_too(db, tenants, create_person) -> None:
    mentor = create_person("liege", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(tenants["liege"].id):
        _row, token = feeds.issue_person_token(mentor)
        assert feeds.find(token) is not None
        _db.session.flush()
    with tenant_scope(tenants["brussels"].id):
        assert feeds.find(token) is None


def test_hq_cannot_make_links(hq_client) -> None:
    assert hq_client.post("/paris/training/calendar/link").status_code == 404
    assert hq_client.get("/paris/training/calendar").status_code == 404
