"""The ``[reporting]`` section of the tenant config: the country's variants of the
definitions, inherited and overridden like every section, validated before anything is
written."""

from __future__ import annotations

from pathlib import Path

import pytest

from duo.core.tenancy.config import ConfigError, load_tenants
from duo.reporting.settings import reporting_settings
from support import TENANTS_DIR


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)


def test_the_real_countries_carry_their_variants() -> None:
    tenants = load_tenants(TENANTS_DIR)
    paris = reporting_settings(tenants["paris"].as_dict())
    assert (paris.stable_job_months, paris.suppression_threshold) == (3, 11)
    ghent = reporting_settings(tenants["ghent"].as_dict())
    assert ghent.suppression_threshold is None
    assert ghent.positive_outcomes == ("job", "internship", "training")
    assert ghent.outcome_months == 12


def test_a_branch_overrides_one_value_and_inherits_the_rest(tenants_copy: Path) -> None:
    _append(tenants_copy / "lille.toml", "[reporting]\nstable_job_months = 6\n")
    lille = reporting_settings(load_tenants(tenants_copy)["lille"].as_dict())
    assert (lille.stable_job_months, lille.suppression_threshold) == (6, 11)


def test_a_country_without_the_section_falls_back_to_the_defaults(tenants_copy: Path) -> None:
    path = tenants_copy / "countries" / "nl.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("# The country's variants")], encoding="utf-8")
    rotterdam = load_tenants(tenants_copy)["rotterdam"]
    assert (
        "reporting" not in load_tenants(tenants_copy)["rotterdam"].as_dict()
        or not (rotterdam.as_dict()["reporting"])
    )
    assert reporting_settings(rotterdam.as_dict()).stable_job_months == 3


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("stable_job_months = 0", "reporting.stable_job_months", "at least 1"),
        ('stable_job_months = "3"', "reporting.stable_job_months", ""),
        ('positive_outcomes = ["job", "party"]', "reporting.positive_outcomes[1]", "party"),
        ("suppression_threshold = 1", "reporting.suppression_threshold", "at least 2"),
        ("stable_months = 3", "reporting.stable_months", "unknown field"),
    ],
)
def test_bad_values_are_named(tenants_copy: Path, text: str, field: str, words: str) -> None:
    _append(tenants_copy / "ghent.toml", f"[reporting]\n{text}\n")
    with pytest.raises(ConfigError) as caught:
        load_tenants(tenants_copy)
    found = [p for p in caught.value.problems if p.file == tenants_copy / "ghent.toml"]
    assert any(p.field == field and words in p.message for p in found), found
