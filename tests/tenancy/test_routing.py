"""Branch pages under /<slug>/, HQ under /hq/: who gets what (404 rather than a hint)."""

from __future__ import annotations

import re

import pytest

from duo.core.auth.access import COORDINATOR, access_of


def branch_rules(app):
    """Every GET rule of a branch page, with placeholder values for its other arguments."""
    samples = {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "int": "1",
        "default": "x",
        "string": "x",
        "path": "x",
    }
    for rule in app.url_map.iter_rules():
        if "tenant" not in rule.arguments or "GET" not in rule.methods:
            continue
        if access_of(app.view_functions[rule.endpoint]) != COORDINATOR:
            continue  # open on purpose: sign-up page, personal links (duo.core.auth.access)
        path = rule.rule
        for conv, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", path):
            if name == "tenant":
                continue
            value = samples.get(conv or "default", "x")
            path = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", value, path)
        yield rule.endpoint, path


def test_unknown_branch_is_404(client) -> None:
    assert client.get("/atlantis/").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client) -> None:
    response = client.get("/brussels/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_coordinator_sees_own_branch(coordinator) -> None:
    client = coordinator("brussels")
    response = client.get("/brussels/")
    assert response.status_code == 200
    assert "Bruxelles" in response.get_data(as_text=True)


def test_coordinator_gets_404_for_every_url_of_another_branch(app, coordinator) -> None:
    client = coordinator("brussels")
    urls = list(branch_rules(app))
    assert urls, "no branch routes found"
    for endpoint, path in urls:
        path = path.replace("<tenant>", "antwerp")
        response = client.get(path)
        assert response.status_code in (404, 405), f"{endpoint} {path} -> {response.status_code}"


def test_hq_cannot_open_branch_pages(app, hq_client) -> None:
    for endpoint, path in branch_rules(app):
        path = path.replace("<tenant>", "brussels")
        response = hq_client.get(path)
        assert response.status_code in (404, 405), f"{endpoint} {path} -> {response.status_code}"


def test_hq_sees_figures_but_no_personal_data(hq_client, create_person) -> None:
    create_person(
        "liege", first_name="Zoubida", last_name="Secretname", email="zoubida@example.org"
    )
    response = hq_client.get("/hq/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Liège" in html or "Liege" in html
    for secret in ("Zoubida", "Secretname", "zoubida@example.org"):
        assert secret not in html


def test_coordinator_gets_404_for_hq(coordinator) -> None:
    assert coordinator("ghent").get("/hq/").status_code == 404


def test_inactive_branch_pages_are_closed(db, tenants, coordinator) -> None:
    client = coordinator("lille")
    tenants["lille"].active = False
    db.session.flush()
    assert client.get("/lille/").status_code == 404


@pytest.mark.parametrize(
    "slug",
    [
        "brussels",
        "liege",
        "antwerp",
        "ghent",
        "mechelen",
        "rotterdam",
        "paris",
        "lille",
        "marseille",
        "lyon",
    ],
)
def test_every_launch_branch_is_served(coordinator, slug) -> None:
    assert coordinator(slug).get(f"/{slug}/").status_code == 200


def test_a_branch_changed_by_another_process_counts_on_the_next_request(
    app, db, tenants, coordinator
) -> None:
    """Each process keeps the branches it has built (issue 12), checked against the row on
    every request: a rename or a closing by ``duo tenants sync`` elsewhere counts at once."""
    from sqlalchemy import update

    from duo.core.tenancy.models import Tenant

    client = coordinator("lille")
    assert client.get("/lille/").status_code == 200  # the branch is now kept
    names = {**tenants["lille"].name, "fr": "Lille-Métropole", "en": "Lille-Métropole"}
    db.session.execute(update(Tenant).where(Tenant.slug == "lille").values(name=names))
    assert "Lille-Métropole" in client.get("/lille/").get_data(as_text=True)
    db.session.execute(update(Tenant).where(Tenant.slug == "lille").values(active=False))
    assert client.get("/lille/").status_code == 404


def test_an_unchanged_branch_is_built_once_per_process(app, coordinator) -> None:
    from duo.core.tenancy.routing import _CACHE

    client = coordinator("lille")
    client.get("/lille/")
    kept = app.extensions[_CACHE]["lille"][1]
    client.get("/lille/people/")
    assert app.extensions[_CACHE]["lille"][1] is kept
    assert kept.slug == "lille" and kept.config  # a whole branch: its configuration parsed


def test_a_row_link_is_what_url_for_builds(app) -> None:
    """Lists build a row's link once per page with the id put in (issue 12)."""
    import uuid

    from flask import url_for

    from duo.core.urls import row_link

    with app.test_request_context("/"):
        link = row_link("people.person", "person_id", tenant="brussels")
        for _ in range(3):
            row_id = uuid.uuid4()
            assert link(row_id) == url_for("people.person", tenant="brussels", person_id=row_id)
        withdraw = row_link("training.withdraw", "enrolment_id", tenant="lille")
        row_id = uuid.uuid4()
        assert withdraw(row_id) == f"/lille/training/enrolments/{row_id}/withdraw"
