"""Demo data only where asked: never in production, never for a branch onboarded later."""

from __future__ import annotations

from sqlalchemy import func, select

from duo.consumers.demo.guard import production_reasons
from duo.consumers.demo.seed import HQ_EMAIL, coordinator_email, seed
from duo.core.auth.accounts import create_user, find_user
from duo.people.models import Person


def test_production_is_detected(app, monkeypatch) -> None:
    assert production_reasons(app) == []
    monkeypatch.setenv("DUO_ENV", "production")
    assert production_reasons(app) == ["DUO_ENV=production"]
    monkeypatch.delenv("DUO_ENV")
    monkeypatch.setitem(app.config, "DUO_PUBLIC_URL", "https://duo.duoforajob.org")
    assert "DUO_PUBLIC_URL points at duo.duoforajob.org" in production_reasons(app)


def test_setup_refuses_demo_data_in_production(app, monkeypatch) -> None:
    monkeypatch.setenv("DUO_ENV", "production")
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code != 0 and "production configuration detected" in result.output
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--branch", "lyon"])
    assert result.exit_code != 0 and "production" in result.output


def _people(db, in_tenant, slug: str) -> int:
    with in_tenant(slug):
        return db.session.execute(select(func.count()).select_from(Person)).scalar_one()


def test_a_branch_added_later_gets_demo_data_only_when_asked(db, in_tenant) -> None:
    # The demo was seeded before (its HQ login exists): a later `duo setup` adds nobody.
    create_user(HQ_EMAIL, "HQ Demo", "correct horse battery", hq=True, locale="en")
    assert seed(people_per_branch=4) is False
    assert _people(db, in_tenant, "lyon") == 0
    assert find_user(coordinator_email("lyon")) is None
    # `duo demo seed --branch lyon` does it for that branch only.
    assert seed(people_per_branch=4, only=["lyon"]) is True
    assert _people(db, in_tenant, "lyon") == 4
    assert find_user(coordinator_email("lyon")) is not None
    assert _people(db, in_tenant, "lille") == 0


def test_demo_seed_names_an_unknown_branch(app, db) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--branch", "atlantis"])
    assert result.exit_code != 0 and "atlantis" in result.output


def test_demo_seed_prints_the_branchs_login_with_its_authenticator_secret(app, db) -> None:
    """The seeded coordinator has two-factor authentication on; the command prints the
    secret, which gives codes the login accepts (it was printed nowhere before)."""
    import pyotp

    from duo.core.auth.twofactor import verify_code

    result = app.test_cli_runner().invoke(
        args=["demo", "seed", "--branch", "lyon", "--people", "3"]
    )
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if coordinator_email("lyon") in line)
    secret = line.split("TOTP", 1)[1].split()[0]
    assert "password:" in result.output
    assert not any(coordinator_email("lille") in line for line in result.output.splitlines())
    user = find_user(coordinator_email("lyon"))
    assert verify_code(user, pyotp.TOTP(secret).now())
