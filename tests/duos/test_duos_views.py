"""Duo pages: the list with what to do next, one duo's history and moves, and who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

import steps
from duo.core import clock
from duo.core.db import utcnow
from duo.core.jobs.models import OutboxJob
from duo.core.tenancy.models import Tenant
from duo.duos import agreement, lifecycle, states
from duo.duos.models import Duo, DuoStateChange
from duo.people import states as person_states
from duo.people.models import Person
from support import run_jobs as drain_jobs
from support import snapshot


@pytest.fixture
def make_duo(db, in_tenant, pool_factory, create_user):
    """A duo proposed a month ago, taken through ``steps`` with the real step functions."""

    def make(branch: str = "rotterdam", mentee: str = "Amina", mentor: str = "Jan", **kw):
        languages = {"fr": "native"} if branch == "lyon" else {"nl": "native"}
        e = pool_factory.mentee(branch, mentee, languages=languages)
        m = pool_factory.mentor(branch, mentor, languages=languages)
        wanted = kw.get("steps", ())
        with in_tenant(branch), clock.frozen(utcnow() - dt.timedelta(days=30)) as c:
            tenant = db.session.execute(select(Tenant).where(Tenant.slug == branch)).scalar_one()
            duo = lifecycle.propose(e, m)
            if states.FIRST_MEETING in wanted:
                steps.plan(duo, tenant)
                c.advance(dt.timedelta(days=3))
            if states.CONFIRMED in wanted:
                steps.both_yes(duo, tenant, e, m)
            if states.ACTIVE in wanted:
                steps.sign_all(duo, tenant, e, m, create_user(branches=[branch]))
        return snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id"))

    return make


def _count(db, in_tenant, branch: str, model=DuoStateChange) -> int:
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
    drain_jobs()
    with count_queries() as few:
        assert client.get("/rotterdam/duos/").status_code == 200
    for n in range(1, 8):
        make_duo(mentee=f"A{n}", mentor=f"M{n}")
    drain_jobs()
    with count_queries() as many:
        assert client.get("/rotterdam/duos/").status_code == 200
    assert many.count == few.count
    assert many.count <= 6, many.statements


#: Issue 12's budget (every stage of the page: ``test_duo_page_statements``).
DUO_PAGE_BUDGET = 10


def test_the_duo_page_needs_the_same_queries_in_a_small_and_a_busy_branch(
    coordinator, make_duo, count_queries
) -> None:
    client = coordinator("rotterdam", locale="en")
    first = make_duo(mentee="B0", mentor="N0", steps=(states.FIRST_MEETING,))
    drain_jobs()
    client.get(f"/rotterdam/duos/{first.id}")
    with count_queries() as few:
        assert client.get(f"/rotterdam/duos/{first.id}").status_code == 200
    for n in range(1, 6):
        make_duo(mentee=f"B{n}", mentor=f"N{n}", steps=(states.FIRST_MEETING,))
    drain_jobs()
    client.get(f"/rotterdam/duos/{first.id}")
    with count_queries() as many:
        assert client.get(f"/rotterdam/duos/{first.id}").status_code == 200
    assert many.count == few.count
    assert many.count <= DUO_PAGE_BUDGET, many.statements


def test_the_list_is_paged_and_keeps_its_filter(coordinator, make_duo, monkeypatch) -> None:
    from duo.duos import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = coordinator("rotterdam", locale="en")
    for n in range(5):
        make_duo(mentee=f"Mentee{n}", mentor=f"Mentor{n}")
    drain_jobs()
    shown: list[str] = []
    for number in (1, 2, 3):
        html = client.get(f"/rotterdam/duos/?state=proposed&page={number}").get_data(as_text=True)
        assert f"Page {number} of 3" in html
        shown += [f"Mentee{n}" for n in range(5) if f"Mentee{n} " in html]
        if number < 3:
            assert f"state=proposed&amp;page={number + 1}" in html
    assert sorted(shown) == [f"Mentee{n}" for n in range(5)]  # each duo on exactly one page
    beyond = client.get("/rotterdam/duos/?page=99").get_data(as_text=True)
    assert "Page 3 of 3" in beyond
    assert client.get("/rotterdam/duos/?page=abc").status_code == 200


def test_the_duo_page_shows_history_and_the_allowed_moves(coordinator, make_duo) -> None:
    duo = make_duo()
    html = (
        coordinator("rotterdam", locale="en")
        .get(f"/rotterdam/duos/{duo.id}")
        .get_data(as_text=True)
    )
    assert 'id="duo-plan-form"' in html
    assert 'id="duo-to-stopped"' in html
    # No state skips its step: there is no button to confirm or activate by hand.
    for target in ("first_meeting", "confirmed", "active"):
        assert f'id="duo-to-{target}"' not in html
    assert "proposed" in html


def test_planning_the_first_meeting_through_the_page(db, in_tenant, coordinator, make_duo) -> None:
    duo = make_duo()
    client = coordinator("rotterdam", locale="en")
    day = (utcnow() + dt.timedelta(days=5)).date().isoformat()
    response = client.post(
        f"/rotterdam/duos/{duo.id}/first-meeting",
        data={"plan-day": day, "plan-time": "18:30", "plan-place": "Café Rotterdam",
              "plan-coordinator_id": str(client.user.id)},
    )  # fmt: skip
    assert response.status_code == 302
    with in_tenant("rotterdam"):
        db.session.expire_all()
        stored = db.session.get(Duo, (duo.tenant_id, duo.id))
        assert stored.state == states.FIRST_MEETING
        assert stored.first_meeting_place == "Café Rotterdam"
        assert stored.first_meeting_coordinator_id == client.user.id
        assert stored.history[-1].by_user_id == client.user.id
    html = client.get(f"/rotterdam/duos/{duo.id}").get_data(as_text=True)
    assert "Café Rotterdam" in html and client.user.name in html


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
    response = client.post(f"/rotterdam/duos/{duo.id}/to/ended")
    assert response.status_code == 400
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert _count(db, in_tenant, "rotterdam") == before
    assert client.post(f"/rotterdam/duos/{duo.id}/to/nowhere").status_code == 404
    assert client.post(f"/rotterdam/duos/{duo.id}/to/confirmed").status_code == 404


def test_a_bad_date_is_refused_at_the_field(db, in_tenant, coordinator, make_duo) -> None:
    duo = make_duo()
    client = coordinator("rotterdam", locale="en")
    url = f"/rotterdam/duos/{duo.id}/first-meeting"
    response = client.post(url, data={"plan-day": "tomorrow-ish", "plan-time": "10:00"})
    assert response.status_code == 400
    assert 'id="plan-day-error"' in response.get_data(as_text=True)
    # 1990: before the duo was proposed.
    response = client.post(
        url, data={"plan-day": "1990-05-01", "plan-time": "10:00", "plan-place": "Office"}
    )
    assert response.status_code == 400
    assert "cannot be before the duo was proposed" in response.get_data(as_text=True)
    far = (utcnow() + dt.timedelta(days=400)).date().isoformat()
    response = client.post(url, data={"plan-day": far, "plan-time": "10:00", "plan-place": "x"})
    assert response.status_code == 400
    assert "within 90 days" in response.get_data(as_text=True)
    response = client.post(url, data={"plan-day": far[:4] + "-01-01", "plan-time": "10:00"})
    assert response.status_code == 400
    with in_tenant("rotterdam"):
        db.session.expire_all()
        assert db.session.get(Duo, (duo.tenant_id, duo.id)).state == states.PROPOSED


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
    from duo.people.models import Person

    with in_tenant("rotterdam"):
        stored = db.session.get(Duo, (duo.tenant_id, duo.id))
        tenant = db.session.get(Tenant, duo.tenant_id)
        for person in db.session.execute(
            select(Person).where(Person.id.in_([stored.mentee_id, stored.mentor_id]))
        ).scalars():
            agreement.sign(
                stored, person.role, full_name=person.full_name, accepted=True, tenant=tenant,
                expected_name=person.full_name, person=person,
            )  # fmt: skip
        db.session.commit()  # a refused request below rolls back what is not committed
    url = f"/rotterdam/duos/{duo.id}/countersign"
    wrong = client.post(url, data={"countersign-full_name": "Someone Else",
                                   "countersign-accepted": "y"})  # fmt: skip
    assert wrong.status_code == 400
    assert "Type your full name as we know it" in wrong.get_data(as_text=True)
    unticked = client.post(url, data={"countersign-full_name": client.user.name})
    assert unticked.status_code == 400
    response = client.post(
        url, data={"countersign-full_name": client.user.name, "countersign-accepted": "y"}
    )
    assert response.status_code == 302
    with in_tenant("rotterdam"):
        db.session.expire_all()
        stored = db.session.get(Duo, (duo.tenant_id, duo.id))
        assert stored.state == states.ACTIVE
        people = db.session.execute(
            select(Person).where(Person.id.in_([stored.mentee_id, stored.mentor_id]))
        ).scalars()
        assert {p.state for p in people} == {person_states.IN_DUO}
        job = db.session.execute(
            select(OutboxJob).where(OutboxJob.name == "duos.started")
        ).scalar_one()
        assert job.status == "done", job.last_error
    pdf = client.get(f"/rotterdam/duos/{duo.id}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_opening_a_duo_is_in_the_audit_log_of_both_people(
    db, in_tenant, coordinator, make_duo
) -> None:
    from duo.core.audit.models import AuditEvent

    client = coordinator("rotterdam", locale="en")
    duo = make_duo(mentee="Audited", mentor="Seen", steps=(states.FIRST_MEETING,))
    with in_tenant("rotterdam"):
        people = {duo.mentee_id, duo.mentor_id}
    assert client.get(f"/rotterdam/duos/{duo.id}").status_code == 200
    with in_tenant("rotterdam"):
        viewed = db.session.execute(
            select(AuditEvent.person_id, AuditEvent.actor_user_id).where(
                AuditEvent.action == "person.view", AuditEvent.object == "duo"
            )
        ).all()
    assert {p for p, _ in viewed} == people
    assert {a for _, a in viewed} == {client.user.id}


def test_pages_across_states_keep_the_lists_order(
    db, in_tenant, coordinator, make_duo, monkeypatch
) -> None:
    """Each page is cut from each state's share of the index (issue 12): a page that spans
    two states holds what the old sort of every duo put there, in that order."""
    from duo.duos import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = coordinator("rotterdam", locale="en")
    for n in range(3):
        make_duo(mentee=f"Proposed{n}", mentor=f"MentorP{n}")
    for n in range(2):
        make_duo(mentee=f"Meeting{n}", mentor=f"MentorM{n}", steps=[states.FIRST_MEETING])
    drain_jobs()
    with in_tenant("rotterdam"):
        order = (
            db.session.execute(select(Duo.mentee_id).order_by(*views.LIST_ORDER)).scalars().all()
        )
        names = dict(db.session.execute(select(Person.id, Person.first_name)).all())
    expected = [names[i] for i in order]
    shown: list[str] = []
    for number in (1, 2, 3):
        html = client.get(f"/rotterdam/duos/?page={number}").get_data(as_text=True)
        on_this_page = [n for n in expected if f"{n} " in html]
        shown += sorted(on_this_page, key=html.index)
    assert shown == expected
    assert [n[:8] for n in expected] == ["Proposed"] * 3 + ["Meeting0", "Meeting1"]


def test_the_page_cut_says_which_duos_of_each_state_a_page_holds() -> None:
    from duo.duos.list_rows import page_cut

    counts = {states.ACTIVE: 5, states.PROPOSED: 3, states.ENDED: 0, states.STOPPED: 4}
    assert page_cut(counts, 0, 2) == [(states.PROPOSED, 0, 2)]
    assert page_cut(counts, 2, 2) == [(states.PROPOSED, 2, 1), (states.ACTIVE, 0, 1)]
    assert page_cut(counts, 6, 50) == [(states.ACTIVE, 3, 2), (states.STOPPED, 0, 4)]
    assert page_cut(counts, 12, 2) == []
    assert page_cut({}, 0, 50) == []


def test_a_page_across_states_is_read_from_the_index_without_sorting_every_duo(
    db, tenants, in_tenant, make_duo
) -> None:
    """At 2,600 duos, sorting them all by the method's order of states to keep fifty was
    the duos list's slowest statement (issue 12). Each state's share is read from
    ``ix_duos_tenant_state_since`` in order; asserted on the plan, not on a time."""
    from duo.core.tenancy.scoping import _in_branch
    from duo.duos.list_rows import on_page
    from support import query_plan, sent_sql

    make_duo(mentee="Amina", mentor="Jan")
    make_duo(mentee="Youssef", mentor="Piet", steps=[states.FIRST_MEETING])
    tenant = tenants["rotterdam"]
    counts = {states.PROPOSED: 1, states.FIRST_MEETING: 1}
    statement = select(Duo.id).where(on_page(counts, 0, 2)).options(_in_branch(tenant.id))
    with in_tenant("rotterdam"):
        connection = db.session.connection()
        with sent_sql(connection) as sent:
            ids = connection.execute(statement).scalars().all()
        assert len(ids) == 2
        sql, values = sent[-1]
        if connection.dialect.name == "postgresql":
            # A table of two duos is sorted in memory at no cost; with sorting priced out,
            # the plan shows whether each share can be read in order from the index.
            connection.exec_driver_sql("SET LOCAL enable_sort = off")
        plan = query_plan(connection, sql, values)
    text = "\n".join(plan)
    assert "ix_duos_tenant_state_since" in text, plan
    if db.engine.dialect.name == "postgresql":
        assert "Seq Scan" not in text, plan
        assert not any(line.lstrip(" ->").startswith("Sort") for line in plan), plan
    else:
        assert not any(line.startswith("SCAN duos") for line in plan), plan
        assert "TEMP B-TREE" not in text, plan
