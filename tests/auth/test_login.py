"""One login page for every kind of staff; sessions end when the password changes."""

from __future__ import annotations

import pytest

from appfactory import PASSWORD, build_app, log_in, make_settings


def test_coordinator_lands_on_their_branch(client, create_user) -> None:
    user = create_user(branches=["rotterdam"])
    response = log_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/rotterdam/")


def test_coordinator_of_several_branches_picks_one(client, create_user) -> None:
    user = create_user(branches=["paris", "lille"])
    response = log_in(client, user)
    assert response.headers["Location"].endswith("/branches")
    page = client.get("/branches").get_data(as_text=True)
    assert "/paris/" in page and "/lille/" in page and "/lyon/" not in page


def test_hq_lands_on_hq(client, create_user) -> None:
    user = create_user(hq=True)
    user.email = user.email.upper()  # the address is matched without case
    response = log_in(client, user)
    assert response.headers["Location"].endswith("/hq/")


def test_wrong_password_is_refused_with_a_message(client, create_user) -> None:
    user = create_user(branches=["ghent"])
    response = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 400
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/ghent/").status_code == 302


def test_missing_fields_are_reported_at_the_field(client) -> None:
    response = client.post("/login", data={"email": "not-an-address", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a valid e-mail address." in html
    assert "Enter your password." in html
    assert 'aria-invalid="true"' in html


def test_next_parameter_is_followed_only_on_this_site(client, create_user) -> None:
    user = create_user(branches=["ghent"])
    response = log_in(client, user, next="https://evil.example/")
    assert response.headers["Location"].endswith("/ghent/")


def test_logout(coordinator) -> None:
    client = coordinator("liege")
    assert client.post("/logout").status_code == 302
    assert client.get("/liege/").status_code == 302


def test_password_change_ends_other_sessions(db, coordinator) -> None:
    from duo.core.auth.accounts import set_password

    client = coordinator("antwerp")
    assert client.get("/antwerp/").status_code == 200
    set_password(client.user, "a brand new password for antwerp")
    db.session.flush()
    assert client.get("/antwerp/").status_code == 302


def test_deactivated_user_is_logged_out(db, coordinator) -> None:
    client = coordinator("antwerp")
    client.user.active = False
    db.session.flush()
    assert client.get("/antwerp/").status_code == 302


def test_passwords_are_hashed_with_argon2(create_user) -> None:
    user = create_user(branches=["lyon"])
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


@pytest.fixture
def csrf_app(tmp_path, database_url):
    from appfactory import migrate_and_load

    if database_url:
        pytest.skip("the CSRF check needs no second PostgreSQL database")
    app = build_app(make_settings(tmp_path, None), WTF_CSRF_ENABLED=True)
    migrate_and_load(app)
    return app


def test_forms_require_a_csrf_token(csrf_app) -> None:
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "a@b.cd", "password": "whatever1234"})
    assert response.status_code == 400
    assert client.post("/logout").status_code == 400


def test_users_create_cli(app, db) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "new.coordinator@duo.example.org",
            "--name",
            "New",
            "--password",
            "long enough password",
            "--branch",
            "mechelen",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "coordinator" in result.output
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@duo.example.org",
            "--name",
            "X",
            "--password",
            "long enough password",
            "--branch",
            "atlantis",
        ]
    )
    assert bad.exit_code == 1
    assert "unknown branch" in bad.output
    from duo.core.auth.accounts import find_user

    assert find_user("x@duo.example.org") is None


def test_users_create_reads_the_password_from_stdin_or_the_environment(app, db) -> None:
    """Issue 14: a script creates a user without a prompt (and never waits for one)."""
    from duo.core.auth.accounts import authenticate, find_user

    runner = app.test_cli_runner()
    base = ["users", "create", "--name", "Scripted", "--branch", "ghent", "--email"]
    result = runner.invoke(
        args=[*base, "stdin@duo.example.org", "--password-stdin"],
        input="piped password 123\n",
    )
    assert result.exit_code == 0, result.output
    assert authenticate("stdin@duo.example.org", "piped password 123") is not None
    result = runner.invoke(
        args=[*base, "env@duo.example.org"], env={"DUO_USER_PASSWORD": "from the environment"}
    )
    assert result.exit_code == 0, result.output
    assert authenticate("env@duo.example.org", "from the environment") is not None
    # No terminal, no password: a clear error, nothing created.
    missing = runner.invoke(args=[*base, "none@duo.example.org"], input="")
    assert missing.exit_code == 2
    assert "--password-stdin" in missing.output
    assert find_user("none@duo.example.org") is None
