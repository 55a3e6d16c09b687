"""The training pages: curriculum, planning with a preview, sessions, enrolment, attendance,
and the walls between branches."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from duo.core.db import db as _db
from duo.core.jobs.models import OutboxJob
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.training import enrolment
from duo.training.models import (
    CANCELLED,
    ENROLLED,
    WAITING,
    Attendance,
    Enrolment,
    TrainingCycle,
)
from support import FUTURE, PAST, TUE, cycle_form, make_cycle, required_modules, run_jobs

#: The year of the branches' closing days in ``tenants/*.toml`` (24 to 31 December 2026), so a
#: fixed one, with the holidays its cycles meet (Good Friday, Easter Monday of the next year).
YEAR = 2026

pytestmark = pytest.mark.usefixtures("training_clock")


def count(model, tenant) -> int:
    with tenant_scope(tenant.id):
        return _db.session.execute(select(func.count()).select_from(model)).scalar_one()


def jobs(name: str) -> list[OutboxJob]:
    return list(_db.session.execute(select(OutboxJob).where(OutboxJob.name == name)).scalars())


def plan_form(**overrides) -> dict:
    return cycle_form(**{"start_date": f"{YEAR}-10-13", **overrides})


def with_modules(tenant, data: dict) -> dict:
    if data.get("modules") is None:
        data["modules"] = required_modules(tenant)
    return data


# --------------------------------------------------------------------------- pages


def test_overview_and_navigation(coordinator) -> None:
    client = coordinator("brussels")
    page = client.get("/brussels/training/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/brussels/training/cycles/new"' in html
    assert 'id="plan-cycle"' in html
    dashboard = client.get("/brussels/").get_data(as_text=True)
    assert 'href="/brussels/training/"' in dashboard


def test_curriculum_in_the_readers_language_with_required_marked(login, tenants) -> None:
    brussels = tenants["brussels"]
    french = login(branches=["brussels"], locale="fr")
    html = french.get("/brussels/training/curriculum").get_data(as_text=True)
    assert "Écoute active" in html and "Relations interculturelles" in html
    assert "Actief luisteren" not in html
    assert html.count('class="badge badge-required"') == len(required_modules(brussels))
    assert 'id="workshop-intervision"' in html
    dutch = login(branches=["brussels"], locale="nl")
    html = dutch.get("/brussels/training/curriculum").get_data(as_text=True)
    assert "Actief luisteren" in html and "Écoute active" not in html
    rotterdam = login(branches=["rotterdam"], locale="nl")
    html = rotterdam.get("/rotterdam/training/curriculum").get_data(as_text=True)
    assert html.count('<li id="module-') == 8


# --------------------------------------------------------------------------- planning


def test_preview_shows_dates_and_skipped_days_and_writes_nothing(login, tenants) -> None:
    rotterdam = tenants["rotterdam"]
    client = login(branches=["rotterdam"], locale="en")
    data = with_modules(
        rotterdam,
        plan_form(start_date=f"{YEAR}-12-17", weekdays=["3"], count="3", modules=None),
    )
    response = client.post("/rotterdam/training/cycles/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="preview-sessions"' in html and 'id="save-cycle"' in html
    skipped = html.split('id="preview-skipped"')[1].split("</ul>")[0]
    assert skipped.count("<li>") == 2
    assert f"{YEAR}-12-24" in skipped and f"{YEAR}-12-31" in skipped
    assert "Branch closed" in skipped
    assert count(TrainingCycle, rotterdam) == 0


def test_preview_names_a_regional_holiday(coordinator, tenants, db) -> None:
    paris = tenants["paris"]
    paris.config = {**paris.config, "holidays": {"country": "FR", "subdivision": "57"}}
    db.session.flush()
    client = coordinator("paris")
    data = with_modules(paris, plan_form(start_date=f"{YEAR}-03-27", weekdays=["4"], count="2"))
    html = client.post("/paris/training/cycles/new", data=data).get_data(as_text=True)
    skipped = html.split('id="preview-skipped"')[1].split("</ul>")[0]
    assert f"{YEAR}-04-03" in skipped
    assert "Vendredi saint" in skipped  # named in the reader's language (Paris: French)


def test_save_stores_the_cycle_in_the_branch_zone_over_dst(coordinator, tenants) -> None:
    rotterdam = tenants["rotterdam"]
    client = coordinator("rotterdam")
    data = with_modules(rotterdam, plan_form(action="save"))
    response = client.post("/rotterdam/training/cycles/new", data=data)
    assert response.status_code == 302
    with tenant_scope(rotterdam.id):
        cycle = _db.session.execute(select(TrainingCycle)).scalar_one()
        sessions = cycle.sessions
        assert len(sessions) == len(required_modules(rotterdam))
        assert cycle.capacity == 12 and cycle.location == "Rue Royale 1"
        # Tuesdays at 18:00 in Amsterdam from 13 October: the clocks go back on 25 October.
        assert {s.starts_at.hour for s in sessions[:2]} == {16}
        assert {s.starts_at.hour for s in sessions[2:]} == {17}
    assert response.headers["Location"].endswith(f"/rotterdam/training/cycles/{cycle.id}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    times = re.findall(r"(\d\d:\d\d)–(\d\d:\d\d)", html)
    assert times and set(times) == {("18:00", "21:00")}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": "17:00"}, "end_time"),
        ({"weekdays": []}, "weekdays"),
        ({"start_date": f"31/02/{YEAR}"}, "start_date"),
        ({"title": ""}, "title"),
        ({"every_weeks": "0"}, "every_weeks"),
        ({"capacity": "-3"}, "capacity"),
        ({"weekdays": ["9"]}, "weekdays"),
        ({"content": "workshop:intervision", "count": ""}, "count"),
        ({"content": "workshop:intervision", "count": "100", "every_weeks": "52"}, "count"),
        ({"modules": ["no-such-module"]}, "modules"),
        ({"content": "workshop:nope"}, "content"),
    ],
)
def test_bad_input_is_told_at_the_field_and_nothing_is_saved(
    coordinator, tenants, overrides, field
) -> None:
    brussels = tenants["brussels"]
    client = coordinator("brussels")
    data = with_modules(brussels, plan_form(action="save", **overrides))
    response = client.post("/brussels/training/cycles/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html
    assert count(TrainingCycle, brussels) == 0


def test_four_consecutive_mondays_workshop_series(coordinator, tenants) -> None:
    ghent = tenants["ghent"]
    client = coordinator("ghent")
    data = plan_form(
        content="workshop:job-application-training",
        modules=[],
        start_date=f"{YEAR + 1}-03-22",  # Easter Monday 2027 is 29 March
        weekdays=["0"],
        count="4",
        action="save",
    )
    assert client.post("/ghent/training/cycles/new", data=data).status_code == 302
    with tenant_scope(ghent.id):
        cycle = _db.session.execute(select(TrainingCycle)).scalar_one()
        assert cycle.audience == "mentees"
        assert [d["date"] for d in cycle.skipped] == [f"{YEAR + 1}-03-29"]
        assert len(cycle.sessions) == 4


# --------------------------------------------------------------------------- one cycle


def test_enrol_with_capacity_and_waiting_list(coordinator, tenants, create_person) -> None:
    lyon = tenants["lyon"]
    cycle = make_cycle(lyon, capacity=1)
    first = create_person("lyon", role="mentor", state=states.ELIGIBLE, first_name="Jeanne")
    second = create_person("lyon", role="mentor", state=states.ELIGIBLE, first_name="Paul")
    page_url, first_id, second_id = f"/lyon/training/cycles/{cycle.id}", first.id, second.id
    client = coordinator("lyon")
    page = client.get(page_url).get_data(as_text=True)
    assert 'id="enrol-form"' in page and f'value="{first_id}"' in page
    url = f"{page_url}/enrol"
    assert client.post(url, data={"person_id": str(first_id), "session_id": ""}).status_code == 302
    assert client.post(url, data={"person_id": str(second_id), "session_id": ""}).status_code == 302
    with tenant_scope(lyon.id):
        rows = {r.person_id: r for r in _db.session.execute(select(Enrolment)).scalars()}
        assert rows[first_id].status == ENROLLED and rows[second_id].status == WAITING
        assert first.state == states.IN_TRAINING
        withdraw_url = f"/lyon/training/enrolments/{rows[first_id].id}/withdraw"
    html = client.get(page_url).get_data(as_text=True)
    assert 'id="waiting-list"' in html and "Paul" in html
    # Withdrawing the first moves the second up.
    assert client.post(withdraw_url).status_code == 302
    with tenant_scope(lyon.id):
        assert rows[second_id].status == ENROLLED


def test_enrol_bad_input_is_400(coordinator, tenants, create_person) -> None:
    lyon = tenants["lyon"]
    cycle = make_cycle(lyon)
    refused = create_person("lyon", role="mentor", state=states.NOT_ELIGIBLE)
    stranger = create_person("paris", role="mentor", state=states.ELIGIBLE)
    url, refused_id = f"/lyon/training/cycles/{cycle.id}/enrol", str(refused.id)
    stranger_id = str(stranger.id)
    client = coordinator("lyon")
    for person_id in ("", "not-a-uuid", refused_id, stranger_id):
        response = client.post(url, data={"person_id": person_id, "session_id": ""})
        assert response.status_code == 400
        assert 'id="person_id-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"person_id": refused_id, "session_id": "x"})
    assert response.status_code == 400
    assert count(Enrolment, lyon) == 0


def test_move_and_cancel_a_session_tell_the_participants(
    coordinator, tenants, create_person
) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels)
    mentor = create_person("brussels", role="mentor", state=states.ELIGIBLE, locale="nl")
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, mentor)
        session, second = cycle.sessions[:2]
        ids = (str(session.id), str(mentor.id))
    move_url = f"/brussels/training/sessions/{session.id}/move"
    cancel_url = f"/brussels/training/sessions/{second.id}/cancel"
    cycle_url = f"/brussels/training/cycles/{cycle.id}"
    client = coordinator("brussels")
    form = client.get(move_url).get_data(as_text=True)
    assert 'value="18:00"' in form and 'id="move-submit"' in form
    day = str(FUTURE + dt.timedelta(days=3))
    bad = client.post(move_url, data={"date": day, "start_time": "12:00", "end_time": "09:00"})
    assert bad.status_code == 400 and 'id="end_time-error"' in bad.get_data(as_text=True)
    moved = client.post(
        move_url,
        data={"date": day, "start_time": "09:30", "end_time": "12:30", "location": ""},
    )
    assert moved.status_code == 302
    with tenant_scope(brussels.id):
        assert session.sequence == 1
    assert [j.args[:2] for j in jobs("training.session_moved")] == [list(ids)]
    assert client.get(cancel_url).status_code == 200
    cancelled = client.post(cancel_url, data={"reason": "Zaal niet vrij"})
    assert cancelled.status_code == 302
    with tenant_scope(brussels.id):
        assert second.status == CANCELLED and second.cancel_reason == "Zaal niet vrij"
    assert len(jobs("training.session_cancelled")) == 1
    html = client.get(cycle_url).get_data(as_text=True)
    assert 'class="badge badge-cancelled"' in html


def test_settings_change_capacity_and_promote(coordinator, tenants, create_person) -> None:
    lyon = tenants["lyon"]
    cycle = make_cycle(lyon, capacity=1)
    people = [create_person("lyon", role="mentor", state=states.ELIGIBLE) for _ in range(2)]
    with tenant_scope(lyon.id):
        rows = [enrolment.enrol(cycle, p) for p in people]
    url = f"/lyon/training/cycles/{cycle.id}/settings"
    client = coordinator("lyon")
    bad = client.post(url, data={"title": "", "capacity": "2"})
    assert bad.status_code == 400
    with tenant_scope(lyon.id):
        assert cycle.capacity == 1
    ok = client.post(url, data={"title": "Renamed", "capacity": "2", "location": "Salle B"})
    assert ok.status_code == 302
    with tenant_scope(lyon.id):
        assert cycle.title == "Renamed" and cycle.capacity == 2
        assert rows[1].status == ENROLLED


def test_attendance_page_records_and_trains(coordinator, tenants, create_person) -> None:
    paris = tenants["paris"]
    cycle = make_cycle(paris, start=PAST)
    mentor = create_person("paris", role="mentor", state=states.ELIGIBLE, first_name="Odile")
    absent = create_person("paris", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(paris.id):
        enrolment.enrol(cycle, mentor)
        enrolment.enrol(cycle, absent)
        urls = [f"/paris/training/sessions/{s.id}/attendance" for s in cycle.sessions]
    mentor_id = str(mentor.id)
    client = coordinator("paris")
    dashboard = client.get("/paris/").get_data(as_text=True)
    assert "/paris/training/#attendance" in dashboard
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        assert f'value="{mentor_id}"' in page and "Odile" in page
        assert client.post(url, data={"present": [mentor_id]}).status_code == 302
    with tenant_scope(paris.id):
        assert mentor.state == states.TRAINED
        assert absent.state == states.IN_TRAINING
        assert _db.session.execute(
            select(func.count()).select_from(Attendance).where(Attendance.present.is_(False))
        ).scalar_one() == len(urls)
    bad = client.post(urls[0], data={"present": ["00000000-0000-4000-8000-000000000000"]})
    assert bad.status_code == 400 and 'id="present-error"' in bad.get_data(as_text=True)
    person_page = client.get(f"/paris/training/people/{mentor_id}").get_data(as_text=True)
    assert 'data-trained="true"' in person_page


def test_future_session_attendance_is_refused(coordinator, tenants, create_person) -> None:
    paris = tenants["paris"]
    cycle = make_cycle(paris, start=FUTURE)
    mentor = create_person("paris", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(paris.id):
        enrolment.enrol(cycle, mentor)
        url = f"/paris/training/sessions/{cycle.sessions[0].id}/attendance"
    mentor_id = str(mentor.id)
    client = coordinator("paris")
    response = client.post(url, data={"present": [mentor_id]})
    assert response.status_code == 400
    assert count(Attendance, paris) == 0


def test_printable_schedule(coordinator, tenants) -> None:
    marseille = tenants["marseille"]
    cycle = make_cycle(marseille, start=dt.date(YEAR, 10, 13), weekdays=(TUE,))
    sessions, url = len(cycle.sessions), f"/marseille/training/cycles/{cycle.id}/print"
    html = coordinator("marseille").get(url).get_data(as_text=True)
    assert "training.css" in html and 'class="schedule"' in html
    assert html.count("<tr") == sessions + 1
    assert f"mardi 13 octobre {YEAR}" in html  # the reader's locale (Marseille: French)


def test_dashboard_todos(coordinator, tenants, create_person) -> None:
    create_person("ghent", role="mentor", state=states.ELIGIBLE)
    create_person("ghent", role="mentor", state=states.ELIGIBLE)
    html = coordinator("ghent").get("/ghent/").get_data(as_text=True)
    assert "/ghent/training/#waiting" in html
    index = coordinator("ghent").get("/ghent/training/").get_data(as_text=True)
    waiting = index.split('id="waiting"')[1].split("</section>")[0]
    assert waiting.count("<tr>") == 3  # header + 2 mentors


# --------------------------------------------------------------------------- isolation


def paris_objects(tenants, create_person) -> dict:
    paris = tenants["paris"]
    cycle = make_cycle(paris, start=PAST)
    mentor = create_person("paris", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(paris.id):
        row = enrolment.enrol(cycle, mentor)
    return {"cycle": cycle, "session": cycle.sessions[0], "person": mentor, "enrolment": row}


def paris_urls(objects: dict, slug: str) -> list[tuple[str, str]]:
    c, s, p, e = (objects[k].id for k in ("cycle", "session", "person", "enrolment"))
    return [
        ("GET", f"/{slug}/training/cycles/{c}"),
        ("GET", f"/{slug}/training/cycles/{c}/print"),
        ("POST", f"/{slug}/training/cycles/{c}/settings"),
        ("POST", f"/{slug}/training/cycles/{c}/enrol"),
        ("POST", f"/{slug}/training/enrolments/{e}/withdraw"),
        ("GET", f"/{slug}/training/sessions/{s}/move"),
        ("POST", f"/{slug}/training/sessions/{s}/move"),
        ("GET", f"/{slug}/training/sessions/{s}/cancel"),
        ("POST", f"/{slug}/training/sessions/{s}/cancel"),
        ("GET", f"/{slug}/training/sessions/{s}/attendance"),
        ("POST", f"/{slug}/training/sessions/{s}/attendance"),
        ("GET", f"/{slug}/training/people/{p}"),
        ("POST", f"/{slug}/training/people/{p}/calendar-link"),
        ("POST", f"/{slug}/training/people/{p}/calendar-link/revoke"),
    ]


def test_a_rotterdam_coordinator_gets_404_for_everything_of_paris(
    coordinator, tenants, create_person
) -> None:
    objects = paris_objects(tenants, create_person)
    # Under Paris's URL (not their branch) and under their own URL (not their objects).
    urls = paris_urls(objects, "paris") + paris_urls(objects, "rotterdam")
    data = {"person_id": str(objects["person"].id), "title": "x", "present": []}
    client = coordinator("rotterdam")
    for method, url in urls:
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
    for path in ("", "curriculum", "cycles/new", "calendar"):
        assert client.get(f"/paris/training/{path}").status_code == 404
    with tenant_scope(tenants["paris"].id):
        assert objects["session"].status != CANCELLED
        assert objects["enrolment"].status == ENROLLED
        assert _db.session.execute(select(func.count()).select_from(Attendance)).scalar_one() == 0


def test_hq_gets_404_on_training_pages(hq_client, tenants, create_person) -> None:
    objects = paris_objects(tenants, create_person)
    urls = paris_urls(objects, "paris")
    for method, url in urls:
        assert hq_client.open(url, method=method).status_code == 404, url
    for path in ("", "curriculum", "cycles/new", "calendar"):
        assert hq_client.get(f"/paris/training/{path}").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, tenants) -> None:
    response = client.get("/paris/training/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_overview_is_a_few_queries(coordinator, tenants, create_person, count_queries) -> None:
    lyon = tenants["lyon"]
    client = coordinator("lyon")
    for start in (PAST, FUTURE):
        cycle = make_cycle(lyon, start=start)
        with tenant_scope(lyon.id):
            for _ in range(3):
                enrolment.enrol(cycle, create_person("lyon", role="mentor", state=states.ELIGIBLE))
    for _ in range(5):
        create_person("lyon", role="mentor", state=states.ELIGIBLE)
    run_jobs()  # the confirmation mails queued by the enrolments
    with count_queries() as few:
        assert client.get("/lyon/training/").status_code == 200
    for _ in range(10):
        create_person("lyon", role="mentor", state=states.ELIGIBLE)
    run_jobs()  # the reporting refresh they queued: the same empty outbox for both counts
    with count_queries() as more:
        assert client.get("/lyon/training/").status_code == 200
    assert more.count == few.count
    assert more.count <= PAGE_BUDGET, more.statements


#: Statements a coordinator's page may run, whatever the size of the branch (issue 12).
PAGE_BUDGET = 10


def test_a_cycle_page_is_a_few_queries_however_many_are_enrolled(
    coordinator, tenants, create_person, count_queries
) -> None:
    lyon = tenants["lyon"]
    client = coordinator("lyon")
    cycle = make_cycle(lyon, start=PAST)
    cycle_id = cycle.id  # read before the commit: on PostgreSQL the row is seen in scope only
    with tenant_scope(lyon.id):
        for _ in range(2):
            enrolment.enrol(cycle, create_person("lyon", role="mentor", state=states.ELIGIBLE))
    run_jobs()
    client.get(f"/lyon/training/cycles/{cycle_id}")
    with count_queries() as few:
        assert client.get(f"/lyon/training/cycles/{cycle_id}").status_code == 200
    with tenant_scope(lyon.id):
        for _ in range(12):
            enrolment.enrol(cycle, create_person("lyon", role="mentor", state=states.ELIGIBLE))
    for _ in range(10):
        create_person("lyon", role="mentor", state=states.ELIGIBLE)
    run_jobs()
    client.get(f"/lyon/training/cycles/{cycle_id}")
    with count_queries() as more:
        assert client.get(f"/lyon/training/cycles/{cycle_id}").status_code == 200
    assert more.count == few.count
    assert more.count <= PAGE_BUDGET, more.statements


def test_todo_counts_stay_in_their_branch(db, tenants, create_person) -> None:
    from duo.training import todos

    paris = tenants["paris"]
    cycle = make_cycle(paris, start=PAST)
    mentor = create_person("paris", role="mentor", state=states.ELIGIBLE)
    create_person("paris", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(paris.id):
        enrolment.enrol(cycle, mentor)
        assert todos.count_to_record() == len(cycle.sessions)
        assert todos.mentors_waiting(paris) == 1
        enrolment.record_attendance(cycle.sessions[0], {mentor.id})
        assert todos.count_to_record() == len(cycle.sessions) - 1
    with tenant_scope(tenants["lyon"].id):
        assert todos.count_to_record() == 0
        assert todos.mentors_waiting(tenants["lyon"]) == 0
