"""The coordinator's session pages: list with figures, plan, change, cancel, attendance."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from duo.people import states
from duo.sessions.models import InfoSession
from duo.sessions.signup import sign_up
from support import (
    counts,
    days_from_today,
    future,
    make_session,
    next_spring_forward,
    past,
    request_for,
    run_jobs,
    session_form,
)


def test_the_list_shows_upcoming_and_past_with_figures(db, tenants, in_tenant, coordinator) -> None:
    tenant = tenants["brussels"]
    soon = make_session(tenant, capacity=2)
    held = make_session(tenant, starts_at=future(days=1))
    with in_tenant("brussels"):
        sign_up(request_for(soon.id), tenant=tenant)
        came = sign_up(request_for(held.id), tenant=tenant)
        held.starts_at = past()
        came.registration.attended = True
        held.attendance_recorded_at = past(days=1)
        db.session.flush()
    db.session.commit()
    html = coordinator("brussels", locale="en").get("/brussels/sessions/").get_data(as_text=True)
    assert "Information sessions" in html and 'aria-current="page"' in html
    assert "1 of 2" in html  # seats taken of capacity
    assert "Past sessions" in html and "recorded" in html
    assert "/brussels/join" in html


def test_the_list_needs_a_fixed_number_of_queries(
    db, tenants, in_tenant, coordinator, count_queries
) -> None:
    tenant = tenants["brussels"]
    client = coordinator("brussels", locale="en")

    def add(n: int) -> None:
        for i in range(n):
            info = make_session(tenant, starts_at=future(days=10 + i))
            info_id = info.id
            with in_tenant("brussels"):
                sign_up(request_for(info_id), tenant=tenant)
            make_session(tenant, starts_at=past(days=3 + i))
        db.session.commit()
        run_jobs()  # the confirmations: not part of the page's work

    add(2)
    with count_queries() as few:
        assert client.get("/brussels/sessions/").status_code == 200
    add(10)
    with count_queries() as many:
        assert client.get("/brussels/sessions/").status_code == 200
    assert many.count == few.count, "\n".join(s[:150] for s in many.statements)
    assert few.count <= 8, few.statements


def test_a_coordinator_plans_a_session_in_the_branch_time(
    db, tenants, in_tenant, coordinator
) -> None:
    client = coordinator("brussels", locale="en")
    form = session_form()
    response = client.post("/brussels/sessions/new", data=form)
    assert response.status_code == 302
    with in_tenant("brussels"):
        info = db.session.execute(select(InfoSession)).scalar_one()
        local = info.starts_at.astimezone(ZoneInfo("Europe/Brussels"))
        assert (local.date().isoformat(), local.strftime("%H:%M")) == (form["start_date"], "18:30")
        assert (info.audience, info.capacity, info.language) == ("mentees", 15, "fr")
        assert info.created_by_user_id == client.user.id
        session_id = info.id
    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200
    assert "Nobody has signed up yet" in detail.get_data(as_text=True)
    edit = client.get(f"/brussels/sessions/{session_id}/edit").get_data(as_text=True)
    assert 'value="18:30"' in edit and f'value="{form["start_date"]}"' in edit


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start_date": ""}, "Enter the date of the session."),
        ({"start_date": str(days_from_today(-30))}, "Choose a date and time in the future."),
        ({"place": "", "online_url": ""}, "Enter a place, an online link, or both."),
        ({"capacity": "0"}, "Enter a capacity between 1 and 1000."),
        ({"online_url": "ftp://x.example.org"}, "Enter a link that starts with https://."),
        (
            {"start_date": next_spring_forward().isoformat(), "start_time": "02:30"},
            "This time does not exist",
        ),
    ],
)
def test_bad_session_input_is_refused_at_the_field(tenants, coordinator, values, message) -> None:
    client = coordinator("brussels", locale="en")
    before = counts(tenants["brussels"])
    response = client.post("/brussels/sessions/new", data=session_form(**values))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert counts(tenants["brussels"]) == before


def test_changing_a_session_tells_the_registrants(db, tenants, in_tenant, coordinator) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, starts_at=future(days=20), language="fr", audience="both")
    info_id, starts_at = info.id, info.starts_at
    session_id = info_id
    with in_tenant("brussels"):
        seat = sign_up(request_for(info_id), tenant=tenant)
        email = seat.person.email
    db.session.commit()
    client = coordinator("brussels", locale="en")
    moved = starts_at + timedelta(days=7)
    local = moved.astimezone(ZoneInfo("Europe/Brussels"))
    response = client.post(
        f"/brussels/sessions/{session_id}/edit",
        data=session_form(
            start_date=local.date().isoformat(),
            start_time=local.strftime("%H:%M"),
            audience="both",
            capacity=10,
        ),
    )
    assert response.status_code == 302
    run_jobs()
    from support import mails_to

    assert [m.kind for m in mails_to(tenant, email)] == [
        "sessions.confirmation",
        "sessions.changed",
    ]


def test_past_and_cancelled_sessions_are_read_only(db, tenants, coordinator) -> None:
    tenant = tenants["brussels"]
    held = make_session(tenant, starts_at=past())
    held_id = held.id
    db.session.commit()
    client = coordinator("brussels", locale="en")
    response = client.get(f"/brussels/sessions/{held_id}/edit")
    assert response.status_code == 302
    response = client.post(f"/brussels/sessions/{held_id}/cancel", data={"reason": ""})
    assert response.status_code == 400
    assert "already taken place" in response.get_data(as_text=True)


def test_cancelling_from_the_page(db, tenants, in_tenant, coordinator) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    info_id = info.id
    session_id = info_id
    with in_tenant("brussels"):
        sign_up(request_for(info_id), tenant=tenant)
    db.session.commit()
    client = coordinator("brussels", locale="en")
    page = client.get(f"/brussels/sessions/{session_id}/cancel")
    assert page.status_code == 200
    assert "1 person registered or waiting" in page.get_data(as_text=True)
    response = client.post(
        f"/brussels/sessions/{session_id}/cancel", data={"reason": "Strike: no trains."}
    )
    assert response.status_code == 302
    with in_tenant("brussels"):
        info = db.session.execute(select(InfoSession)).scalar_one()
        assert info.cancelled_at is not None and info.cancel_reason == "Strike: no trains."
    listing = client.get("/brussels/sessions/").get_data(as_text=True)
    assert "cancelled" in listing


def test_recording_attendance_from_the_page(db, tenants, in_tenant, coordinator) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, starts_at=future(days=2))
    info_id = info.id
    session_id = info_id
    with in_tenant("brussels"):
        came = sign_up(request_for(info_id, first_name="Came"), tenant=tenant)
        sign_up(request_for(info_id, first_name="Stayed"), tenant=tenant)
        came_reg, came_person = came.registration.id, came.person.id
        info.starts_at = past()
        db.session.flush()
    db.session.commit()
    client = coordinator("brussels", locale="en")
    page = client.get(f"/brussels/sessions/{session_id}/attendance").get_data(as_text=True)
    assert "Came Benali" in page and "Stayed Benali" in page
    response = client.post(
        f"/brussels/sessions/{session_id}/attendance", data={"attended": [str(came_reg)]}
    )
    assert response.status_code == 302
    from duo.people.models import Person

    with in_tenant("brussels"):
        person = db.session.execute(select(Person).where(Person.id == came_person)).scalar_one()
        assert person.state == states.ATTENDED
    bad = client.post(
        f"/brussels/sessions/{session_id}/attendance", data={"attended": ["not-an-id"]}
    )
    assert bad.status_code == 400
    assert "not registered for this session" in bad.get_data(as_text=True)


def test_attendance_before_the_day_is_refused(db, tenants, coordinator) -> None:
    info = make_session(tenants["brussels"], starts_at=future(days=5))
    info_id = info.id
    session_id = info_id
    db.session.commit()
    client = coordinator("brussels", locale="en")
    page = client.get(f"/brussels/sessions/{session_id}/attendance")
    assert "from the day of the session on" in page.get_data(as_text=True)
    assert (
        client.post(
            f"/brussels/sessions/{session_id}/attendance", data={"attended": []}
        ).status_code
        == 400
    )


def test_dashboard_lists_the_session_todos(db, tenants, in_tenant, coordinator) -> None:
    tenant = tenants["brussels"]
    full = make_session(tenant, capacity=1)
    held = make_session(tenant, starts_at=future(days=2))
    with in_tenant("brussels"):
        sign_up(request_for(full.id), tenant=tenant)
        sign_up(request_for(held.id), tenant=tenant)
        held.starts_at = past()
        db.session.flush()
    db.session.commit()
    html = coordinator("brussels", locale="en").get("/brussels/").get_data(as_text=True)
    assert "attendance not yet recorded" in html
    assert "nearly full" in html


# --------------------------------------------------------------------------- other branches


@pytest.mark.parametrize("suffix", ["", "/edit", "/cancel", "/attendance"])
def test_another_branch_gets_404_for_a_real_session(
    db, tenants, in_tenant, coordinator, hq_client, suffix
) -> None:
    info = make_session(tenants["brussels"], starts_at=future(days=3))
    info_id = info.id
    session_id = info_id
    db.session.commit()
    antwerp = coordinator("antwerp", locale="en")
    for path in (
        f"/antwerp/sessions/{session_id}{suffix}",
        f"/brussels/sessions/{session_id}{suffix}",
    ):
        assert antwerp.get(path).status_code == 404, path
        assert hq_client.get(f"/brussels/sessions/{session_id}{suffix}").status_code == 404
    if suffix:
        data = session_form() if suffix == "/edit" else {"reason": "x", "attended": []}
        for path in (
            f"/antwerp/sessions/{session_id}{suffix}",
            f"/brussels/sessions/{session_id}{suffix}",
        ):
            assert antwerp.post(path, data=data).status_code == 404, path
        assert (
            hq_client.post(f"/brussels/sessions/{session_id}{suffix}", data=data).status_code == 404
        )
    with in_tenant("brussels"):
        info = db.session.execute(select(InfoSession)).scalar_one()
        assert info.cancelled_at is None and info.sequence == 0


def test_antwerp_list_does_not_show_brussels_sessions(db, tenants, coordinator) -> None:
    make_session(tenants["brussels"], place="Secret place in Brussels")
    db.session.commit()
    html = coordinator("antwerp", locale="en").get("/antwerp/sessions/").get_data(as_text=True)
    assert "Secret place in Brussels" not in html


def test_anonymous_visitors_are_sent_to_login(client) -> None:
    response = client.get("/brussels/sessions/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
