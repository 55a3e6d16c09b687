"""Onboarding a branch: a file and one command; a bad file changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from duo.core.tenancy.models import Tenant

NEW_BRANCH = """\
slug = "namur"
country = "be"
name = { en = "Namur", fr = "Namur", nl = "Namen" }
locales = ["fr"]
contact_email = "namur@duoforajob.be"
"""


@pytest.fixture
def cli(app, db):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args), catch_exceptions=False)


def snapshot(db) -> list[tuple]:
    return sorted(db.session.execute(select(Tenant.slug, Tenant.digest, Tenant.active)).all())


def test_check_accepts_the_real_files(cli) -> None:
    result = cli("tenants", "check")
    assert result.exit_code == 0, result.output
    assert "brussels" in result.output


def test_new_branch_is_served_after_apply_without_code_change(db, cli, tenants_copy, login) -> None:
    (tenants_copy / "namur.toml").write_text(NEW_BRANCH, encoding="utf-8")
    dry = cli("tenants", "apply", "--dry-run", "--path", str(tenants_copy))
    assert dry.exit_code == 0, dry.output
    assert "+ added      namur" in dry.output
    assert "= unchanged  brussels" in dry.output
    assert db.session.execute(select(Tenant).where(Tenant.slug == "namur")).first() is None

    result = cli("tenants", "apply", "--path", str(tenants_copy))
    assert result.exit_code == 0, result.output
    namur = db.session.execute(select(Tenant).where(Tenant.slug == "namur")).scalar_one()
    assert namur.timezone == "Europe/Brussels"  # inherited from be.toml
    assert namur.config["programme"]["duration_months"] == 6

    client = login(branches=["namur"])
    response = client.get("/namur/")
    assert response.status_code == 200
    assert "Namur" in response.get_data(as_text=True)


def test_changed_branch_is_reported_and_updated(db, cli, tenants_copy) -> None:
    path = tenants_copy / "ghent.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'contact_email = "ghent@duoforajob.be"', 'contact_email = "gent@duoforajob.be"'
        ),
        encoding="utf-8",
    )
    result = cli("tenants", "apply", "--path", str(tenants_copy))
    assert result.exit_code == 0, result.output
    assert "~ changed    ghent: contact_email" in result.output
    ghent = db.session.execute(select(Tenant).where(Tenant.slug == "ghent")).scalar_one()
    assert ghent.contact_email == "gent@duoforajob.be"


def test_removed_file_makes_the_branch_inactive_and_keeps_its_data(
    db, cli, tenants_copy, create_person
) -> None:
    create_person("mechelen")
    (tenants_copy / "mechelen.toml").unlink()
    result = cli("tenants", "apply", "--path", str(tenants_copy))
    assert result.exit_code == 0, result.output
    assert "- inactive   mechelen" in result.output
    mechelen = db.session.execute(select(Tenant).where(Tenant.slug == "mechelen")).scalar_one()
    assert mechelen.active is False
    from duo.core.tenancy.context import tenant_scope
    from duo.people.models import Person

    with tenant_scope(mechelen.id):
        assert db.session.execute(select(func.count()).select_from(Person)).scalar_one() == 1


BAD_FILES = {
    "not TOML": ("brussels.toml", "slug = [unclosed", "brussels.toml"),
    "unknown key": ("lyon.toml", None, "colour"),
    "unknown country": ("paris.toml", None, "country"),
    "invalid time zone": ("lille.toml", None, "timezone"),
    "unknown locale": ("liege.toml", None, "locales"),
}


def _break(path: Path, case: str) -> None:
    text = path.read_text(encoding="utf-8")
    if case == "unknown key":
        text += '\ncolour = "blue"\n'
    elif case == "unknown country":
        text = text.replace('country = "fr"', 'country = "xx"')
    elif case == "invalid time zone":
        text = "\n".join(line for line in text.splitlines() if not line.startswith("timezone"))
        text = text.replace('country = "fr"', 'country = "fr"\ntimezone = "Europe/Lile"')
    elif case == "unknown locale":
        text = text.replace('locales = ["fr"]', 'locales = ["de"]')
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_exits_non_zero_names_file_and_field_and_changes_nothing(
    db, app, case, tenants_copy
) -> None:
    filename, content, field = BAD_FILES[case]
    (tenants_copy / "namur.toml").write_text(NEW_BRANCH, encoding="utf-8")
    path = tenants_copy / filename
    if content is not None:
        path.write_text(content, encoding="utf-8")
    else:
        _break(path, case)
    before = snapshot(db)
    runner = app.test_cli_runner()
    for command in (["tenants", "check"], ["tenants", "apply"]):
        result = runner.invoke(args=[*command, "--path", str(tenants_copy)])
        assert result.exit_code != 0, (case, result.output)
        assert filename in result.output, result.output
        assert field in result.output, result.output
    assert snapshot(db) == before


def test_duplicate_slug_is_refused(db, app, tenants_copy) -> None:
    (tenants_copy / "namur.toml").write_text(NEW_BRANCH.replace('"namur"', '"ghent"', 1))
    before = snapshot(db)
    result = app.test_cli_runner().invoke(args=["tenants", "apply", "--path", str(tenants_copy)])
    assert result.exit_code != 0
    assert "namur.toml" in result.output
    assert snapshot(db) == before


def test_reserved_slug_is_refused(db, app, tenants_copy) -> None:
    (tenants_copy / "hq.toml").write_text(NEW_BRANCH.replace('"namur"', '"hq"', 1))
    result = app.test_cli_runner().invoke(args=["tenants", "check", "--path", str(tenants_copy)])
    assert result.exit_code != 0
    assert "hq.toml" in result.output and "reserved" in result.output
