"""Deny by default: every route declares who may use it, and the sweep holds each to it.

Every rule of the URL map, every method it answers (GET and POST alike), is requested by
four visitors: anonymous, a coordinator of another branch, HQ and a coordinator of the
branch in the URL. What each must get follows from the route's declared kind of access
(``duo.core.auth.access``); a route with no declaration fails the suite and is refused.
"""

from __future__ import annotations

import re

import pytest

from appfactory import build_app, make_settings
from duo.core.auth.access import (
    COORDINATOR,
    HQ,
    KINDS,
    PERSONAL_LINK,
    PUBLIC,
    SIGNED_IN,
    UNMARKED_OK,
    access_of,
)

SAMPLES = {
    "uuid": "00000000-0000-4000-8000-000000000000",
    "int": "1",
    "default": "x",
    "string": "x",
    "path": "x",
}
BRANCH = "brussels"
OTHER = "antwerp"


def every_rule(app):
    """(endpoint, kind, method, path) for every rule and method, placeholders filled in."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNMARKED_OK:
            continue
        path = rule.rule
        for conv, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
            value = BRANCH if name == "tenant" else SAMPLES.get(conv or "default", "x")
            path = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", value, path)
        kind = access_of(app.view_functions[rule.endpoint])
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, kind, method, path


def test_every_route_declares_its_access(app) -> None:
    undeclared = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNMARKED_OK
        and access_of(app.view_functions[rule.endpoint]) not in KINDS
    )
    assert undeclared == [], f"routes without an access decorator: {undeclared}"


def test_sweep_covers_post_only_routes(app) -> None:
    methods = {(endpoint, method) for endpoint, _, method, _ in every_rule(app)}
    assert ("people.withdraw", "POST") in methods
    assert ("auth.logout", "POST") in methods
    assert len({e for e, _ in methods}) >= 60


def _is_login_redirect(response, path: str) -> bool:
    if path.startswith("/api/"):
        return response.status_code == 401 and response.is_json
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _send(client, method: str, path: str):
    return client.open(path, method=method, data={} if method == "POST" else None)


def test_anonymous_visitor(app, client) -> None:
    for endpoint, kind, method, path in every_rule(app):
        response = _send(client, method, path)
        where = f"{method} {path} ({endpoint}, {kind}) -> {response.status_code}"
        if kind in (COORDINATOR, HQ, SIGNED_IN) and endpoint != "auth.logout":
            assert _is_login_redirect(response, path), where
        else:
            assert response.status_code < 500, where


def test_coordinator_of_another_branch(app, coordinator) -> None:
    client = coordinator(OTHER)
    for endpoint, kind, method, path in every_rule(app):
        response = _send(client, method, path)
        where = f"{method} {path} ({endpoint}, {kind}) -> {response.status_code}"
        if kind in (COORDINATOR, HQ):
            assert response.status_code == 404, where
        else:
            assert response.status_code < 500, where
        if endpoint == "auth.logout":
            client = coordinator(OTHER)


def test_hq_user(app, hq_client, login) -> None:
    client = hq_client
    for endpoint, kind, method, path in every_rule(app):
        response = _send(client, method, path)
        where = f"{method} {path} ({endpoint}, {kind}) -> {response.status_code}"
        if kind == COORDINATOR:
            assert response.status_code == 404, where
        else:
            assert response.status_code < 500, where
            if kind in (HQ, SIGNED_IN) and endpoint != "auth.logout":
                assert not _is_login_redirect(response, path), where
        if endpoint == "auth.logout":
            client = login(hq=True)


def test_coordinator_of_the_branch(app, coordinator) -> None:
    client = coordinator(BRANCH)
    for endpoint, kind, method, path in every_rule(app):
        response = _send(client, method, path)
        where = f"{method} {path} ({endpoint}, {kind}) -> {response.status_code}"
        if kind == HQ:
            assert response.status_code == 404, where
        else:
            assert response.status_code < 500, where
            if kind in (COORDINATOR, SIGNED_IN) and endpoint != "auth.logout":
                assert not _is_login_redirect(response, path), where
        if endpoint == "auth.logout":
            client = coordinator(BRANCH)


@pytest.mark.parametrize("kind", [PUBLIC, PERSONAL_LINK])
def test_open_kinds_are_declared_on_purpose(app, kind) -> None:
    endpoints = {e for e, k, _, _ in every_rule(app) if k == kind}
    assert endpoints, f"no {kind} route at all: the sweep would not notice a change"


def test_a_route_without_declaration_is_refused(tmp_path, database_url) -> None:
    app = build_app(make_settings(tmp_path, database_url))

    @app.route("/forgotten", methods=["GET", "POST"])
    def forgotten() -> str:
        return "open"

    client = app.test_client()
    assert client.get("/forgotten").status_code == 404
    assert client.post("/forgotten").status_code == 404
