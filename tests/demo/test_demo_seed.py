"""`make run` seeds demo data once and prints working logins."""

from __future__ import annotations

from sqlalchemy import func, select

from duo.demo.seed import DEMO_PASSWORD, HQ_EMAIL, coordinator_email, demo_logins, seed
from duo.people.models import Person


def test_seed_covers_every_branch_and_is_idempotent(db, tenants, in_tenant) -> None:
    assert seed(people_per_branch=4) is True
    assert seed(people_per_branch=4) is False
    for slug in tenants:
        with in_tenant(slug):
            n = db.session.execute(select(func.count()).select_from(Person)).scalar_one()
        assert n == 4, slug
    logins = demo_logins()
    assert logins[0].email == HQ_EMAIL
    assert {login.branch for login in logins[1:]} == set(tenants)


def test_demo_logins_work(db, client) -> None:
    seed(people_per_branch=2)
    response = client.post(
        "/login", data={"email": coordinator_email("marseille"), "password": DEMO_PASSWORD}
    )
    assert response.headers["Location"].endswith("/marseille/")
    assert client.get("/marseille/").status_code == 200


def test_setup_command_is_safe_to_run_twice(app, db) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "already present" in second.output
    assert HQ_EMAIL in second.output
