"""Passwords from a real list, TOTP for every staff account, single-use codes, recovery codes."""

from __future__ import annotations

import pyotp
import pytest

from appfactory import PASSWORD, build_app, log_in, make_settings
from duo.core.auth import twofactor
from duo.core.auth.accounts import AccountError, create_user, set_password
from duo.core.auth.passwords import password_problem


@pytest.mark.parametrize(
    "password",
    ["1234567890", "aaaaaaaaaa", "password1", "Password123", "qwertyuiop", "short", "x" * 129],
)
def test_weak_passwords_are_refused(app, password) -> None:
    with app.test_request_context():
        assert password_problem(password) is not None


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "Lundi matin au marché",
        "x7#Kp2!qLm",
        "quand les pommiers fleurissent à Liège, nous partons marcher au lac"[:64],
    ],
)
def test_long_or_unusual_passwords_are_accepted(app, password) -> None:
    with app.test_request_context():
        assert password_problem(password) is None


def test_a_password_made_of_the_users_own_address_is_refused(app, db) -> None:
    with app.test_request_context(), pytest.raises(AccountError):
        create_user("marie.dupont@duo.example.org", "Marie Dupont", "mariedupont", hq=True)


def test_hashes_are_argon2id(create_user) -> None:
    assert create_user(hq=True).password_hash.startswith("$argon2id$")


def test_an_account_without_authenticator_enrols_at_first_login(app, client, create_user) -> None:
    user = create_user(branches=["ghent"], enrolled=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol")
    html = page.get_data(as_text=True)
    qr = html.split('id="totp-qr">')[1].split("</figure>")[0]
    assert page.status_code == 200 and "<svg" in qr and "<script" not in qr and "style=" not in qr
    secret = html.split('id="totp-secret">')[1].split("<")[0]
    assert client.get("/ghent/").status_code == 302  # not logged in yet
    wrong = client.post("/login/enrol", data={"code": "000000"})
    assert wrong.status_code == 400
    done = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = [c.split("</code>")[0] for c in done.get_data(as_text=True).split("<code>")[1:]]
    assert len(codes) == 10
    assert client.get("/ghent/").status_code == 200
    assert user.has_two_factor and user.totp_secret == secret


def test_the_password_alone_opens_nothing(client, create_user) -> None:
    user = create_user(branches=["ghent"])
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/ghent/").status_code == 302
    assert client.post("/login/code", data={"code": "123456"}).status_code == 400
    assert client.get("/ghent/").status_code == 302


def test_a_code_works_once(app, create_user) -> None:
    user = create_user(branches=["ghent"])
    first, second = app.test_client(), app.test_client()
    code = twofactor.current_code(user.totp_secret)
    for client in (first, second):
        client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert first.post("/login/code", data={"code": code}).status_code == 302
    assert second.post("/login/code", data={"code": code}).status_code == 400


def test_a_recovery_code_replaces_the_app_once(app, db, create_user) -> None:
    user = create_user(branches=["ghent"], enrolled=False)
    from duo.core.auth.accounts import enrol_two_factor

    _, codes = enrol_two_factor(user)
    db.session.flush()
    for expected in (302, 400):
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert client.post("/login/code", data={"code": codes[0]}).status_code == expected
    assert twofactor.recovery_codes_left(user) == 9


def test_the_half_login_expires(app, create_user) -> None:
    from datetime import timedelta

    from duo.core.clock import advance

    user = create_user(branches=["ghent"])
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with advance(timedelta(minutes=6)):
        response = client.post(
            "/login/code", data={"code": twofactor.current_code(user.totp_secret)}
        )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_password_change_from_the_account_page(db, coordinator) -> None:
    client = coordinator("liege")
    other = client.application.test_client()
    assert log_in(other, client.user).status_code == 302
    weak = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "1234567890", "repeat": "1234567890"},
    )
    assert weak.status_code == 400
    new = "a river of quiet pebbles"
    wrong = client.post("/account/password", data={"current": "nope", "new": new, "repeat": new})
    assert wrong.status_code == 400
    ok = client.post("/account/password", data={"current": PASSWORD, "new": new, "repeat": new})
    assert ok.status_code == 302
    assert client.get("/liege/").status_code == 200  # this browser stays in
    assert other.get("/liege/").status_code == 302  # the other session ended


def test_failed_logins_lock_the_account_for_a_while(app, tmp_path, database_url) -> None:
    from duo.core.clock import advance  # noqa: F401  (the limiter counts real time)
    from duo.core.extensions import limiter

    limited = build_app(
        make_settings(tmp_path, app.config["DUO_OWNER_DATABASE_URL"]),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
    )
    try:
        with limited.app_context():
            email = "someone@duo.example.org"
            statuses = []
            for n in range(7):
                client = limited.test_client()
                client.environ_base["REMOTE_ADDR"] = f"127.0.{n}.1"  # a new address each time
                response = client.post("/login", data={"email": email, "password": "wrong!"})
                statuses.append(response.status_code)
            assert statuses[:5] == [400] * 5
            assert statuses[5] == 429
            assert "unlocks by itself" in response.get_data(as_text=True)
    finally:
        limiter.enabled = False
        from duo.core.db import db as _db

        with limited.app_context():
            _db.engine.dispose()


def test_set_password_refuses_weak_ones(app, create_user) -> None:
    user = create_user(hq=True)
    with app.test_request_context(), pytest.raises(AccountError):
        set_password(user, "aaaaaaaaaa")
