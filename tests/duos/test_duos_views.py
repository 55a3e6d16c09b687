"""Duo pages: the list with what to do next, one duo's history and moves, and who may see them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from duo.duos import lifecycle, states
from duo.duos.models import Duo, DuoStateChange
from duo.people import states as person_states
from support import run_jobs, snapshot


@pytest.fixture
def make_duo(in_tenant, pool_factory):  # noqa: ANN001, ANN201
    def make(branch: str = "rotterdam", mentee: str = "Amina", mentor: str = "Jan", **kw):  # noqa: ANN202
        languages = {"fr": "native"} if branch == "lyon" else {"nl": "native"}
        e = pool_factory.mentee(branch, mentee, languages=languages)
        m = pool_factory.mentor(branch, mentor, languages=languages)
        with in_tenant(branch):
            duo = lifecycle.propose(e, m)
            for step in kw.get("steps", ()):
                lifecycle.transition(duo, step)
        return snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id"))

    return make


def _count(db, in_tenant, branch: str, model=DuoStateChange) -> int:  # noqa: ANN001
    with in_tenant(branch):
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_list_says_what_to_do_next(coordinator, make_duo) -> None:
    make_duo(mentee="Amina", mentor="Jan")
    make_duo(mentee="Youssef", mentor="Piet", steps=[states.FIRST_MEETING])
    client = coordinator("rotterdam", locale="en")
    html = client.get("/rotterdam/duos/").get_data(as_text=True)
    assert "Amina" in html and "Youssef" in html
    assert "first meeting to plan" in html
    assert "decision pending" in html
    only = client.get("/rotterdam/duos/?state=first_meeting").get_data(as_text=True)
    assert "Youssef" in only and "Amina" not in only


def test_the_list_needs_the_same_queries_for_few_and_many_duos(
    coordinator, make_duo, count_queries
) -> None:
    client = coordinator("rotterdam", locale="en")
    make_duo(mentee="A0", mentor="M0")
    run_jobs()
    with count_queries() as few:
        assert client.get("/rotterdam/duos/").status_code == 200
    for n in range(1, 8):
        make_duo(mentee=f"A{n}", mentor=f"M{n}")
    run_jobs()
    with count_queries() as many:
        assert client.get("/rotterdam/duos/").status_code == 200
    assert many.count == few.count
    assert many.count <= 6, many.statements


def test_the_duo_page_shows_history_and_the_allowed_moves(coordinator, make_duo) -> None:
    duo = make_duo()
    html = (
        coordinator("rotterdam", locale="en")
        .get(f"/rotterdam/duos/{duo.id}")
        .get_data(as_text=True)
    )
    assert 'id="duo-to-first_meeting"' in html
    assert 'id="duo-to-stopped"' in html
    assert 'id="duo-to-active"' not in html
    assert "proposed" in html


def test_moving_a_duo_through_the_pages(db, in_tenant, coordinator, make_duo) -> None:
    duo = make_duo()
    client = coordinator("rotterdam", locale="en")
    url = f"/rotterdam/duos/{duo.id}/to"
    response = client.post(
        f"{url}/first_meeting", data={"first_meeting-first_meeting_on": "2026-03-10"}
    )
    assert response.status_code == 302
    assert client.post(f"{url}/confirmed").status_code == 302
    assert client.post(f"{url}/active").status_code == 302
    with in_tenant("rotterdam"):
        db.session.expire_all()
        stored = db.session.get(Duo, (duo.tenant_id, duo.id))
        assert stored.state == states.ACTIVE
        assert stored.ends_on is not None
        assert [c.by_user_id for c in stored.history][1:] == [client.user.id] * 3
    html = client.get(f"/rotterdam/duos/{duo.id}").get_data(as_text=True)
    assert client.user.name in html


def test_a_stop_without_reason_is_refused_at_the_field(
    db, in_tenant, coordinator, make_duo
) -> None:
    duo = make_duo(steps=[states.FIRST_MEETING])
    client = coordinator("rotterdam", locale="en")
    before = _count(db, in_tenant, "rotterdam")
    response = client.post(
        f"/rotterdam/duos/{duo.id}/to/stopped",
        data={"stopped-reason": "  ", "stopped-declined_by": "mentee"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Say why the duo stops." in html
    assert 'id="stopped-reason-error"' in html
    assert _count(db, in_tenant, "rotterdam") == before
    response = client.post(
        f"/rotterdam/duos/{duo.id}/to/stopped",
        data={"stopped-reason": "They did not click", "stopped-declined_by": "mentee"},
    )
    assert response.status_code == 302
    with in_tenant("rotterdam"):
        db.session.expire_all()
        stored = db.session.get(Duo, (duo.tenant_id, duo.id))
        assert (stored.state, stored.declined_by) == (states.STOPPED, "mentee")
        assert lifecycle.declined_pairs() == {(duo.mentee_id, duo.mentor_id)}


def test_a_move_made_stale_by_someone_else_is_refused(db, in_tenant, coordinator, make_duo) -> None:
    duo = make_duo(steps=[states.FIRST_MEETING])
    client = coordinator("rotterdam", locale="en")
    before = _count(db, in_tenant, "rotterdam")
    response = client.post(f"/rotterdam/duos/{duo.id}/to/first_meeting")
    assert response.status_code == 400
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert _count(db, in_tenant, "rotterdam") == before
    assert client.post(f"/rotterdam/duos/{duo.id}/to/nowhere").status_code == 404


def test_a_bad_date_is_refused_at_the_field(coordinator, make_duo) -> None:
    duo = make_duo()
    response = coordinator("rotterdam", locale="en").post(
        f"/rotterdam/duos/{duo.id}/to/first_meeting",
        data={"first_meeting-first_meeting_on": "tomorrow-ish"},
    )
    assert response.status_code == 400
    assert 'id="first_meeting-first_meeting_on-error"' in response.get_data(as_text=True)


def test_another_branch_gets_404_and_changes_nothing(
    db, in_tenant, coordinator, hq_client, make_duo
) -> None:
    lyon_duo = make_duo("lyon", mentee="Awa", mentor="Claire")
    client = coordinator("rotterdam", locale="en")
    assert client.get(f"/rotterdam/duos/{lyon_duo.id}").status_code == 404
    assert client.get(f"/lyon/duos/{lyon_duo.id}").status_code == 404
    assert client.get("/lyon/duos/").status_code == 404
    before = _count(db, in_tenant, "lyon")
    for path in (f"/rotterdam/duos/{lyon_duo.id}", f"/lyon/duos/{lyon_duo.id}"):
        response = client.post(f"{path}/to/stopped", data={"stopped-reason": "sabotage"})
        assert response.status_code == 404
    assert _count(db, in_tenant, "lyon") == before
    assert "Awa" not in client.get("/rotterdam/duos/").get_data(as_text=True)
    assert hq_client.get(f"/lyon/duos/{lyon_duo.id}").status_code == 404
    assert hq_client.get("/lyon/duos/").status_code == 404


def test_dashboard_lists_duos_without_a_first_meeting(coordinator, make_duo) -> None:
    make_duo()
    make_duo(mentee="Youssef", mentor="Piet")
    html = coordinator("rotterdam", locale="en").get("/rotterdam/").get_data(as_text=True)
    assert "duos proposed without a first meeting" in html
    assert "/rotterdam/duos/?state=proposed" in html


def test_people_follow_the_duo_through_the_pages(db, in_tenant, coordinator, make_duo) -> None:
    duo = make_duo(steps=[states.FIRST_MEETING, states.CONFIRMED])
    client = coordinator("rotterdam", locale="en")
    assert client.post(f"/rotterdam/duos/{duo.id}/to/active").status_code == 302
    with in_tenant("rotterdam"):
        db.session.expire_all()
        stored = db.session.get(Duo, (duo.tenant_id, duo.id))
        from duo.people.models import Person

        people = db.session.execute(
            select(Person).where(Person.id.in_([stored.mentee_id, stored.mentor_id]))
        ).scalars()
        assert {p.state for p in people} == {person_states.IN_DUO}
