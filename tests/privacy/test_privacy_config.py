"""The ``[privacy]`` section: purposes with text versions in every branch locale, retention
periods; a country default, a branch override; a bad file names the field and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from duo.core.tenancy.config import ConfigError, load_tenants
from duo.privacy import config
from support import TENANTS_DIR


def _problems(tenants_copy: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_tenants(tenants_copy)
    return [f"{p.file.name}: {p.field}: {p.message}" for p in caught.value.problems]


def test_every_branch_has_both_purposes_in_each_of_its_locales() -> None:
    for slug, branch in load_tenants(TENANTS_DIR).items():
        section = branch.as_dict()["privacy"]
        assert {p["key"] for p in section["purposes"]} >= set(config.DEFAULT_VERSIONS), slug
        for purpose in section["purposes"]:
            for locale in branch.locales:
                assert purpose["title"][locale] and purpose["text"][locale], (slug, locale)
        assert section["retention_years"] >= 1 and section["mail_body_days"] >= 1


def test_the_country_sets_the_retention_and_a_branch_overrides_a_purpose(
    tenants_copy: Path,
) -> None:
    (tenants_copy / "ghent.toml").write_text(
        (tenants_copy / "ghent.toml").read_text(encoding="utf-8")
        + '\n[privacy]\nretention_years = 5\n\n[[privacy.purposes]]\nkey = "privacy_notice"\n'
        'version = "ghent-2027-1"\n',
        encoding="utf-8",
    )
    branches = load_tenants(tenants_copy)
    ghent, antwerp, rotterdam = (branches[s].as_dict() for s in ("ghent", "antwerp", "rotterdam"))
    assert ghent["privacy"]["retention_years"] == 5
    assert (
        antwerp["privacy"]["retention_years"] == 3 and rotterdam["privacy"]["retention_years"] == 2
    )

    class Branch:
        def __init__(self, data: dict) -> None:
            self.config = data

    notice = config.purpose(Branch(ghent), config.PRIVACY_NOTICE)
    assert notice.version == "ghent-2027-1" and notice.required
    assert notice.title_in("nl") == "Deelname aan het programma"  # the rest from the country
    assert config.text_version(Branch(antwerp), config.PRIVACY_NOTICE) == "2026-11-v1"


def _break(tenants_copy: Path, country: str, old: str, new: str) -> None:
    path = tenants_copy / "countries" / f"{country}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_bad_period_is_named(tenants_copy: Path) -> None:
    _break(tenants_copy, "be", "retention_years = 3", "retention_years = 0")
    found = _problems(tenants_copy)
    assert any("be.toml: privacy.retention_years" in p for p in found), found


def test_a_missing_translation_is_named(tenants_copy: Path) -> None:
    _break(
        tenants_copy,
        "be",
        'title = { en = "Taking part in the programme", fr = "Participation au programme", '
        'nl = "Deelname aan het programma" }',
        'title = { en = "Taking part in the programme" }',
    )
    found = _problems(tenants_copy)
    assert any("privacy.purposes[0].title" in p and "translation" in p for p in found), found


def test_a_missing_purpose_is_named(tenants_copy: Path) -> None:
    nl = tenants_copy / "countries" / "nl.toml"
    text = nl.read_text(encoding="utf-8")
    nl.write_text(text[: text.index('[[privacy.purposes]]\nkey = "sensitive_facts"')])
    found = _problems(tenants_copy)
    assert any("privacy.purposes" in p and "sensitive_facts" in p for p in found), found
