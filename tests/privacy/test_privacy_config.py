"""The ``[privacy]`` section: purposes with text versions in every branch locale, retention
periods; a country default, a branch override; a bad file names the field and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duo.core.tenancy.config import ConfigError, load_tenants
from duo.privacy import config

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "tenants"
    shutil.copytree(TENANTS, copy)
    return copy


def _problems(root: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_tenants(root)
    return [f"{p.file.name}: {p.field}: {p.message}" for p in caught.value.problems]


def test_every_branch_has_both_purposes_in_each_of_its_locales() -> None:
    for slug, branch in load_tenants(TENANTS).items():
        section = branch.as_dict()["privacy"]
        assert {p["key"] for p in section["purposes"]} >= set(config.DEFAULT_VERSIONS), slug
        for purpose in section["purposes"]:
            for locale in branch.locales:
                assert purpose["title"][locale] and purpose["text"][locale], (slug, locale)
        assert section["retention_years"] >= 1 and section["mail_body_days"] >= 1


def test_the_country_sets_the_retention_and_a_branch_overrides_a_purpose(root: Path) -> None:
    (root / "ghent.toml").write_text(
        (root / "ghent.toml").read_text(encoding="utf-8")
        + '\n[privacy]\nretention_years = 5\n\n[[privacy.purposes]]\nkey = "privacy_notice"\n'
        'version = "ghent-2027-1"\n',
        encoding="utf-8",
    )
    branches = load_tenants(root)
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


def _break(root: Path, country: str, old: str, new: str) -> None:
    path = root / "countries" / f"{country}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_bad_period_is_named(root: Path) -> None:
    _break(root, "be", "retention_years = 3", "retention_years = 0")
    found = _problems(root)
    assert any("be.toml: privacy.retention_years" in p for p in found), found


def test_a_missing_translation_is_named(root: Path) -> None:
    _break(
        root,
        "be",
        'title = { en = "Taking part in the programme", fr = "Participation au programme", '
        'nl = "Deelname aan het programma" }',
        'title = { en = "Taking part in the programme" }',
    )
    found = _problems(root)
    assert any("privacy.purposes[0].title" in p and "translation" in p for p in found), found


def test_a_missing_purpose_is_named(root: Path) -> None:
    nl = root / "countries" / "nl.toml"
    text = nl.read_text(encoding="utf-8")
    nl.write_text(text[: text.index('[[privacy.purposes]]\nkey = "sensitive_facts"')])
    found = _problems(root)
    assert any("privacy.purposes" in p and "sensitive_facts" in p for p in found), found
