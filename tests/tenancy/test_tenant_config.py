"""The tenant config files and their loader: the real files load, and every bad file is named.

Bad-file tests work on a copy of the real ``tenants/`` folder in ``tmp_path`` and assert that
the :class:`ConfigError` names the file, the field (a dotted path into that file) and what is
wrong, in words an operator understands.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from duo.core.tenancy.config import (
    BranchConfig,
    ConfigError,
    ConfigProblem,
    load_branch,
    load_countries,
    load_tenants,
)
from support import TENANTS_DIR

LAUNCH_BRANCHES = {
    "brussels": "be",
    "liege": "be",
    "antwerp": "be",
    "ghent": "be",
    "mechelen": "be",
    "rotterdam": "nl",
    "paris": "fr",
    "lille": "fr",
    "marseille": "fr",
    "lyon": "fr",
}

# Marshmallow's own English defaults must never reach an operator.
MARSHMALLOW_DEFAULTS = ("Unknown field.", "Missing data for required field.", "Not a valid")


@pytest.fixture(scope="module")
def tenants() -> dict[str, BranchConfig]:
    return load_tenants(TENANTS_DIR)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def append(path: Path, text: str) -> Path:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    return path


def prepend(path: Path, text: str) -> Path:
    """Top-level keys must come before the first table header."""
    return write(path, text + "\n" + path.read_text(encoding="utf-8"))


def replace(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    return write(path, text.replace(old, new, 1))


def problems(tenants_copy: Path, only: list[Path] | None = None) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        load_tenants(tenants_copy, only=only)
    found = caught.value.problems
    assert found, "a ConfigError must hold at least one problem"
    for problem in found:
        assert not any(default in problem.message for default in MARSHMALLOW_DEFAULTS), problem
    return found


def assert_problem(found: list[ConfigProblem], file: Path, field: str, *words: str) -> None:
    """One problem names ``file`` and ``field`` and contains every one of ``words``."""
    for problem in found:
        matches = all(word.lower() in problem.message.lower() for word in words)
        if problem.file == file and problem.field == field and matches:
            return
    listing = "\n".join(str(problem) for problem in found)
    pytest.fail(f"no problem {file.name}: {field}: {words} in:\n{listing}")


def assert_problem_in(found: list[ConfigProblem], root: Path, name: str, field: str, *words: str):
    """:func:`assert_problem` for the file ``name`` of the tenants folder ``root``."""
    assert_problem(found, root / name, field, *words)


def assert_file_problem(root: Path, name: str, field: str, *words: str) -> None:
    """Loading ``root`` fails, and one problem names the file ``name``, ``field`` and ``words``."""
    assert_problem(problems(root), root / name, field, *words)


# --------------------------------------------------------------------------- the real files


def test_real_tenants_load_all_ten_branches(tenants: dict[str, BranchConfig]) -> None:
    assert {slug: config.country for slug, config in tenants.items()} == LAUNCH_BRANCHES
    for slug, config in tenants.items():
        assert config.source == TENANTS_DIR / f"{slug}.toml"
        assert set(config.locales) <= {"en", "fr", "nl"}
        assert config.default_locale == config.locales[0]
        assert config.contact_email.startswith(f"{slug}@duoforajob.{config.country}")
        assert config.programme == {
            "duration_months": 6,
            "meeting_interval_days": 7,
            "meeting_hours": 2,
            "follow_up_months": 12,
        }
        assert config.matching["weights"]["sector"] == 30
        assert config.matching["waiting_bonus_per_week"] == 0.5
        for module in config.training["modules"] + config.training["recurring"]:
            for locale in ("en", "fr", "nl"):
                assert module["title"][locale].strip()
                assert module["description"][locale].strip()


def test_countries_hold_the_designed_rules() -> None:
    countries = load_countries(TENANTS_DIR)
    assert sorted(countries) == ["be", "fr", "nl"]
    be = countries["be"]
    mentee = {rule["id"]: rule for rule in be["eligibility"]["mentee"]["rules"]}
    assert (mentee["age"]["min"], mentee["age"]["max"]) == (18, 33)
    assert mentee["jobseeker_registration"]["enabled"] is False
    mentor = {rule["id"]: rule for rule in be["eligibility"]["mentor"]["rules"]}
    assert mentor["age"]["min"] == 50 and mentor["experience"]["kind"] == "min_value"
    titles = [module["title"]["fr"] for module in be["training"]["modules"]]
    assert titles == [
        "Écoute active",
        "Relations interculturelles",
        "Métiers en pénurie",
        "Organismes d'accompagnement",
    ]
    assert [len(countries[cc]["training"]["modules"]) for cc in ("be", "nl", "fr")] == [4, 8, 8]


def test_rotterdam_inherits_the_dutch_training(tenants: dict[str, BranchConfig]) -> None:
    rotterdam = tenants["rotterdam"]
    assert rotterdam.timezone == "Europe/Amsterdam"
    assert rotterdam.holidays_country == "NL"
    modules = rotterdam.training["modules"]
    assert len(modules) == 8
    assert {module["duration_minutes"] for module in modules} == {180}
    assert all(module["required"] is True for module in modules)
    assert modules[0]["title"]["nl"] == "De rol van de mentor"
    recurring = {item["key"]: item for item in rotterdam.training["recurring"]}
    assert recurring["intervision"]["every_weeks"] == 8
    assert recurring["intervision"]["required"] is False
    assert recurring["job-application-training"]["title"]["nl"] == "Sollicitatietraining"
    assert recurring["job-application-training"]["audience"] == "mentees"


def test_belgian_and_french_curricula(tenants: dict[str, BranchConfig]) -> None:
    liege = tenants["liege"].training["modules"]
    assert [module["duration_minutes"] for module in liege] == [360] * 4
    assert liege[2]["title"] == {
        "en": "Shortage occupations",
        "fr": "Métiers en pénurie",
        "nl": "Knelpuntberoepen",
    }
    paris = tenants["paris"].training["modules"]
    assert [module["duration_minutes"] for module in paris] == [210] * 8


def test_a_branch_override_replaces_only_that_rule(tenants: dict[str, BranchConfig]) -> None:
    be = load_countries(TENANTS_DIR)["be"]
    country_rules = {rule["id"]: rule for rule in be["eligibility"]["mentee"]["rules"]}
    for slug, languages in (("brussels", ["fr", "nl", "en"]), ("antwerp", ["nl", "en"])):
        rules = tenants[slug].eligibility["mentee"]
        # Same rules in the same order; the disabled registration rule is dropped.
        assert [rule["id"] for rule in rules] == [
            "age",
            "seeking",
            "migration",
            "work_permit",
            "language",
        ]
        by_id = {rule["id"]: rule for rule in rules}
        assert by_id["language"] == {**country_rules["language"], "languages": languages}
        for rule_id in ("age", "seeking", "migration", "work_permit"):
            assert by_id[rule_id] == country_rules[rule_id]
    brussels_mentor = {rule["id"]: rule for rule in tenants["brussels"].eligibility["mentor"]}
    assert brussels_mentor["language"]["languages"] == ["fr", "nl", "en"]
    assert brussels_mentor["language"]["min_level"] == "B2"


def test_french_branches_accept_other_barriers(tenants: dict[str, BranchConfig]) -> None:
    for slug in ("marseille", "lyon"):
        migration = {rule["id"]: rule for rule in tenants[slug].eligibility["mentee"]}["migration"]
        assert migration["kind"] == "any_of"
        assert "fact" not in migration and "values" not in migration
        assert [sub["kind"] for sub in migration["rules"]] == ["one_of", "required_fact"]
        assert migration["rules"][1]["fact"] == "other_barriers"
    paris = {rule["id"]: rule for rule in tenants["paris"].eligibility["mentee"]}
    assert paris["migration"]["kind"] == "one_of"


def test_branch_settings(tenants: dict[str, BranchConfig]) -> None:
    brussels = tenants["brussels"]
    assert brussels.locales == ("fr", "nl", "en")
    assert brussels.holidays_subdivision is None
    # The closing days are the ones the real files list, in the year they name.
    assert dt.date(2026, 12, 24) in brussels.closed_days
    assert tenants["liege"].holidays_subdivision == "French"
    assert tenants["ghent"].holidays_subdivision == "Flemish"
    assert tenants["antwerp"].working_languages == ("nl", "en")
    assert tenants["mechelen"].working_languages == ("nl",)
    assert tenants["lyon"].timezone == "Europe/Paris"
    assert tenants["lille"].closed_days == ()


def test_display_name_falls_back_to_the_default_locale(tenants: dict[str, BranchConfig]) -> None:
    assert tenants["liege"].display_name("nl") == "Luik"
    assert tenants["antwerp"].display_name("fr") == "Anvers"
    assert tenants["ghent"].display_name() == "Gent"
    assert tenants["brussels"].display_name("de") == "Bruxelles"


def test_as_dict_is_json_and_round_trips(tenants: dict[str, BranchConfig]) -> None:
    import json

    paris = tenants["paris"]
    data = json.loads(json.dumps(paris.as_dict()))
    assert data["closed_days"][0] == "2026-12-24"
    assert data["holidays"] == {"country": "FR", "subdivision": None}
    again = BranchConfig.from_dict(data, source=paris.source)
    assert again == paris
    assert again.digest == paris.digest


def test_rules_satisfy_the_eligibility_engine(tenants: dict[str, BranchConfig]) -> None:
    rules = pytest.importorskip("duo.eligibility.rules")
    for config in tenants.values():
        for audience, items in config.eligibility.items():
            assert rules.rule_list_problems(items) == [], (config.slug, audience)


# --------------------------------------------------------------------------- digest


def test_digest_is_stable(tenants: dict[str, BranchConfig], tenants_copy: Path) -> None:
    again = load_tenants(TENANTS_DIR)
    copied = load_tenants(tenants_copy)
    for slug, config in tenants.items():
        assert len(config.digest) == 64 and int(config.digest, 16) >= 0
        assert again[slug].digest == config.digest
        assert copied[slug].digest == config.digest  # another folder, same content
    assert len({config.digest for config in tenants.values()}) == len(tenants)


def test_digest_ignores_layout_and_follows_content(tenants_copy: Path) -> None:
    before = load_tenants(tenants_copy)["lille"].digest
    path = tenants_copy / "lille.toml"
    write(
        path,
        """# The same content, laid out differently.
working_languages = [ "fr" ]
eligibility.mentee.rules = [{ languages = ["fr"], id = "language" }]
contact_email = "lille@duoforajob.fr"
timezone = "Europe/Paris"
locales = ["fr"]
name.nl = "Rijsel"
name.fr = "Lille"
name.en = "Lille"
country = "fr"
slug = "lille"
""",
    )
    assert load_tenants(tenants_copy)["lille"].digest == before
    replace(path, 'contact_email = "lille@duoforajob.fr"', 'contact_email = "nord@duoforajob.fr"')
    assert load_tenants(tenants_copy)["lille"].digest != before
    # A change in the country file changes the digest of its branches.
    paris_before = load_tenants(tenants_copy)["paris"].digest
    replace(
        tenants_copy / "countries" / "fr.toml", "max_waiting_bonus = 15", "max_waiting_bonus = 20"
    )
    assert load_tenants(tenants_copy)["paris"].digest != paris_before


# --------------------------------------------------------------------------- onboarding


def test_a_new_branch_file_loads_without_code_change(tenants_copy: Path) -> None:
    write(
        tenants_copy / "namur.toml",
        """
slug = "namur"
country = "be"
name = { fr = "Namur", nl = "Namen", en = "Namur" }
locales = ["fr"]
contact_email = "namur@duoforajob.be"
holidays = { subdivision = "French" }

[programme]
duration_months = 5

[eligibility.mentee]
rules = [
  { id = "language", languages = ["fr"] },
  { id = "jobseeker_registration", enabled = true },
]
""",
    )
    tenants = load_tenants(tenants_copy)
    namur = tenants["namur"]
    assert len(tenants) == 11
    assert namur.timezone == "Europe/Brussels"  # the country's default
    assert namur.working_languages == ("fr",)  # defaults to the locales
    assert namur.programme["duration_months"] == 5
    assert namur.programme["meeting_hours"] == 2
    ids = [rule["id"] for rule in namur.eligibility["mentee"]]
    assert ids[-1] == "jobseeker_registration"  # switched on by the branch
    assert len(namur.training["modules"]) == 4
    only = load_tenants(tenants_copy, only=[tenants_copy / "namur.toml"])
    assert list(only) == ["namur"] and only["namur"].digest == namur.digest


def test_load_branch_alone(tenants_copy: Path) -> None:
    countries = load_countries(tenants_copy)
    config = load_branch(tenants_copy / "ghent.toml", countries)
    assert config.slug == "ghent" and config.display_name("fr") == "Gand"
    replace(tenants_copy / "ghent.toml", 'country = "be"', 'country = "de"')
    with pytest.raises(ConfigError) as caught:
        load_branch(tenants_copy / "ghent.toml", countries)
    assert str(caught.value).startswith(
        f"{tenants_copy / 'ghent.toml'}: country: unknown country de"
    )


# --------------------------------------------------------------------------- bad files


def test_error_lists_every_problem_of_every_file(tenants_copy: Path) -> None:
    prepend(tenants_copy / "ghent.toml", 'colour = "red"')
    replace(tenants_copy / "paris.toml", 'timezone = "Europe/Paris"', 'timezone = "Europe/Pariss"')
    with pytest.raises(ConfigError) as caught:
        load_tenants(tenants_copy)
    lines = str(caught.value).splitlines()
    assert f"{tenants_copy / 'ghent.toml'}: colour: unknown field" in lines
    assert any(
        line.startswith(f"{tenants_copy / 'paris.toml'}: timezone: unknown time zone")
        for line in lines
    )
    assert len(lines) == 2


def test_unknown_key(tenants_copy: Path) -> None:
    prepend(tenants_copy / "ghent.toml", 'colour = "red"')
    replace(
        tenants_copy / "antwerp.toml",
        '{ id = "language", languages = ["nl"] }',
        '{ id = "language", mx = 3 }',
    )
    found = problems(tenants_copy)
    assert_problem_in(found, tenants_copy, "ghent.toml", "colour", "unknown field")
    assert_problem_in(
        found, tenants_copy, "antwerp.toml", "eligibility.mentor.rules[0].mx", "unknown field"
    )


def test_wrong_type(tenants_copy: Path) -> None:
    append(tenants_copy / "lyon.toml", '[programme]\nduration_months = "six"\n')
    replace(tenants_copy / "liege.toml", 'locales = ["fr"]', 'locales = "fr"')
    replace(tenants_copy / "countries" / "nl.toml", "meeting_hours = 2", "meeting_hours = true")
    found = problems(tenants_copy)
    assert_problem_in(found, tenants_copy, "lyon.toml", "programme.duration_months", "whole number")
    assert_problem_in(found, tenants_copy, "liege.toml", "locales", "must be a list")
    assert_problem(
        found, tenants_copy / "countries" / "nl.toml", "programme.meeting_hours", "number"
    )


def test_missing_required_field(tenants_copy: Path) -> None:
    replace(tenants_copy / "mechelen.toml", 'contact_email = "mechelen@duoforajob.be"\n', "")
    replace(tenants_copy / "countries" / "fr.toml", "sector = 30\n", "")
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "mechelen.toml", "contact_email", "missing required field"
    )
    assert_problem(
        found, tenants_copy / "countries" / "fr.toml", "matching.weights.sector", "missing"
    )


def test_missing_rule_parameter_after_merge(tenants_copy: Path) -> None:
    append(
        tenants_copy / "lille.toml",
        '[[training.modules]]\nkey = "french-at-work"\n'
        'title = { fr = "Le français au travail" }\n'
        'description = { fr = "Vocabulaire professionnel." }\naudience = "mentees"\n',
    )
    assert_file_problem(
        tenants_copy,
        "lille.toml",
        "training.modules[0].duration_minutes",
        "missing",
    )


def test_unknown_country(tenants_copy: Path) -> None:
    replace(tenants_copy / "ghent.toml", 'country = "be"', 'country = "de"')
    assert_file_problem(tenants_copy, "ghent.toml", "country", "unknown country de", "be")


def test_unsupported_locale(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "brussels.toml", 'locales = ["fr", "nl", "en"]', 'locales = ["fr", "de"]'
    )
    replace(
        tenants_copy / "liege.toml", 'name = { en = "Liège"', 'name = { es = "Lieja", en = "Liège"'
    )
    found = problems(tenants_copy)
    assert_problem_in(found, tenants_copy, "brussels.toml", "locales[1]", "unsupported locale de")
    assert_problem_in(found, tenants_copy, "liege.toml", "name.es", "unsupported locale es")


def test_invalid_time_zone(tenants_copy: Path) -> None:
    replace(tenants_copy / "rotterdam.toml", '"Europe/Amsterdam"', '"Europe/Rotterdam"')
    replace(tenants_copy / "countries" / "be.toml", '"Europe/Brussels"', '"CET+1/Brussels"')
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "rotterdam.toml", "timezone", "unknown time zone Europe/Rotterdam"
    )
    assert_problem(found, tenants_copy / "countries" / "be.toml", "timezone", "unknown time zone")


def test_slug_must_match_the_file_name(tenants_copy: Path) -> None:
    (tenants_copy / "ghent.toml").rename(tenants_copy / "gent.toml")
    found = problems(tenants_copy)
    assert_problem_in(found, tenants_copy, "gent.toml", "slug", "ghent", "file name", "gent")


def test_bad_slug(tenants_copy: Path) -> None:
    write(
        tenants_copy / "Namur.toml",
        (tenants_copy / "lille.toml").read_text().replace('"lille"', '"Namur"'),
    )
    assert_file_problem(tenants_copy, "Namur.toml", "slug", "not a valid slug")


def test_duplicate_slug(tenants_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(tenants_copy / "paris.toml", other / "paris.toml")
    found = problems(tenants_copy, only=[tenants_copy / "paris.toml", other / "paris.toml"])
    assert_problem(found, other / "paris.toml", "slug", "paris", "already used")


def test_not_toml(tenants_copy: Path) -> None:
    write(tenants_copy / "lyon.toml", 'slug = "lyon"\ncountry = \n')
    write(tenants_copy / "lille.toml", "<html>not a config</html>\n")
    found = problems(tenants_copy)
    assert_problem_in(found, tenants_copy, "lyon.toml", "line 2", "not valid TOML")
    assert_problem_in(found, tenants_copy, "lille.toml", "line 1", "not valid TOML")


def test_not_utf8(tenants_copy: Path) -> None:
    (tenants_copy / "liege.toml").write_bytes('name = "Liège"\n'.encode("latin-1"))
    assert_file_problem(tenants_copy, "liege.toml", "", "UTF-8")


def test_invalid_closed_days(tenants_copy: Path) -> None:
    replace(tenants_copy / "paris.toml", '"2026-12-28"', '"2026-02-30"')
    replace(tenants_copy / "brussels.toml", '"2026-12-31"', '"31/12/2026"')
    prepend(tenants_copy / "lille.toml", "closed_days = [2026-12-24, 20261225]")
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "paris.toml", "closed_days[1]", "2026-02-30", "not a valid date"
    )
    assert_problem_in(found, tenants_copy, "brussels.toml", "closed_days[4]", "not a valid date")
    assert_problem_in(found, tenants_copy, "lille.toml", "closed_days[1]", "not a valid date")
    assert not any(p.field == "closed_days[0]" and p.file.name == "lille.toml" for p in found)


def test_toml_dates_are_accepted(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "paris.toml",
        '"2026-12-24", "2026-12-28"',
        '2026-12-28, 2026-12-24, "2026-12-24"',
    )
    paris = load_tenants(tenants_copy)["paris"]
    assert paris.closed_days[:2] == (dt.date(2026, 12, 24), dt.date(2026, 12, 28))


def test_unknown_holidays_subdivision(tenants_copy: Path) -> None:
    replace(tenants_copy / "liege.toml", 'subdivision = "French"', 'subdivision = "Wallonia"')
    found = problems(tenants_copy)
    assert_problem_in(
        found,
        tenants_copy,
        "liege.toml",
        "holidays.subdivision",
        "Wallonia",
        "BE",
        "Flemish, French",
    )


def test_unknown_holidays_country(tenants_copy: Path) -> None:
    replace(tenants_copy / "countries" / "nl.toml", 'country = "NL"', 'country = "XX"')
    found = problems(tenants_copy)
    assert_problem(found, tenants_copy / "countries" / "nl.toml", "holidays.country", "XX")
    # The broken country is reported once, not again for each of its branches.
    assert not any(problem.file.name == "rotterdam.toml" for problem in found)


def test_empty_locales(tenants_copy: Path) -> None:
    replace(tenants_copy / "lyon.toml", 'locales = ["fr"]', "locales = []")
    assert_file_problem(tenants_copy, "lyon.toml", "locales", "must not be empty")


def test_name_missing_the_default_locale(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "ghent.toml",
        'name = { en = "Ghent", fr = "Gand", nl = "Gent" }',
        'name = { en = "Ghent" }',
    )
    assert_file_problem(tenants_copy, "ghent.toml", "name", "default locale nl")


def test_bad_email(tenants_copy: Path) -> None:
    replace(tenants_copy / "lille.toml", "lille@duoforajob.fr", "lille at duoforajob")
    assert_file_problem(tenants_copy, "lille.toml", "contact_email", "not a valid e-mail")


def test_unknown_rule_kind(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "paris.toml",
        '{ id = "language", languages = ["fr"] },',
        '{ id = "language", languages = ["fr"] },\n'
        '  { id = "city", kind = "lives_in", fact = "city" },',
    )
    found = problems(tenants_copy)
    assert_problem_in(
        found,
        tenants_copy,
        "paris.toml",
        "eligibility.mentee.rules[1].kind",
        "lives_in",
        "age_range",
    )


def test_rule_missing_parameters_for_its_kind(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "paris.toml",
        '{ id = "language", languages = ["fr"] },',
        '{ id = "language", languages = ["fr"] },\n'
        '  { id = "district", kind = "one_of", fact = "district" },\n'
        '  { id = "older", kind = "age_range", fact = "birth_date" },\n'
        '  { id = "seniority", kind = "min_value", fact = "years_experience" },',
    )
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "paris.toml", "eligibility.mentee.rules[1].values", "one_of", "values"
    )
    assert_problem_in(
        found, tenants_copy, "paris.toml", "eligibility.mentee.rules[2].min", "min, max or both"
    )
    assert_problem_in(
        found, tenants_copy, "paris.toml", "eligibility.mentee.rules[3].min", "needs min"
    )


def test_rule_parameter_not_used_by_its_kind(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "countries" / "fr.toml",
        'fact = "years_experience", min = 5',
        'fact = "years_experience", min = 5, max = 40',
    )
    replace(
        tenants_copy / "ghent.toml",
        '{ id = "language", languages = ["nl"] }',
        '{ id = "language", values = ["nl"] }',
    )
    found = problems(tenants_copy)
    fr = tenants_copy / "countries" / "fr.toml"
    assert_problem(found, fr, "eligibility.mentor.rules[1].max", "not used", "min_value")
    assert_problem_in(
        found, tenants_copy, "ghent.toml", "eligibility.mentor.rules[0].values", "not used"
    )


def test_new_rule_needs_an_id(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "paris.toml",
        '{ id = "language", languages = ["fr"] }',
        '{ languages = ["fr"] }',
    )
    assert_file_problem(
        tenants_copy,
        "paris.toml",
        "eligibility.mentee.rules[0].id",
        "missing",
    )


def test_min_greater_than_max(tenants_copy: Path) -> None:
    # In one item of a country file...
    replace(tenants_copy / "countries" / "nl.toml", "min = 18, max = 33", "min = 35, max = 33")
    # ... and across the merge: the branch's min against the country's max.
    replace(
        tenants_copy / "brussels.toml",
        '  { id = "language", languages = ["fr", "nl", "en"] },\n]\n\n[eligibility.mentor]',
        '  { id = "language", languages = ["fr", "nl", "en"] },\n  { id = "age", min = 40 },\n]\n\n'
        "[eligibility.mentor]",
    )
    found = problems(tenants_copy)
    assert_problem(
        found, tenants_copy / "countries" / "nl.toml", "eligibility.mentee.rules[0].min", "35", "33"
    )
    assert_problem_in(
        found,
        tenants_copy,
        "brussels.toml",
        "eligibility.mentee.rules[1].min",
        "min (40)",
        "max (33)",
    )


def test_unknown_cefr_level(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "ghent.toml",
        'languages = ["nl"] }',
        'languages = ["nl"], min_level = "B3" }',
    )
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "ghent.toml", "eligibility.mentor.rules[0].min_level", "B3", "C2"
    )


def test_empty_values(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "marseille.toml",
        'values = ["non_eu_nationality", "parent_born_outside_eu", "grandparent_born_outside_eu"]',
        "values = []",
    )
    append(
        tenants_copy / "lille.toml",
        '[eligibility.mentor]\nrules = [{ id = "language", languages = [] }]\n',
    )
    found = problems(tenants_copy)
    assert_problem_in(
        found,
        tenants_copy,
        "marseille.toml",
        "eligibility.mentee.rules[1].rules[0].values",
        "empty",
    )
    assert_problem_in(
        found, tenants_copy, "lille.toml", "eligibility.mentor.rules[0].languages", "empty"
    )


def test_any_of_sub_rules_are_complete(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "lyon.toml",
        '{ kind = "required_fact", fact = "other_barriers" }',
        '{ kind = "required_fact" }',
    )
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "lyon.toml", "eligibility.mentee.rules[1].rules[1].fact", "needs fact"
    )


def test_module_audience(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "countries" / "fr.toml", 'audience = "mentees"', 'audience = "coordinators"'
    )
    found = problems(tenants_copy)
    assert_problem(
        found,
        tenants_copy / "countries" / "fr.toml",
        "training.recurring[1].audience",
        "coordinators",
        "mentors, mentees, duos",
    )


def test_duplicate_module_keys(tenants_copy: Path) -> None:
    replace(
        tenants_copy / "countries" / "nl.toml", 'key = "networking"', 'key = "active-listening"'
    )
    replace(
        tenants_copy / "countries" / "be.toml", 'key = "intervision"', 'key = "active-listening"'
    )
    found = problems(tenants_copy)
    assert_problem(
        found,
        tenants_copy / "countries" / "nl.toml",
        "training.modules[4].key",
        "active-listening",
        "twice",
    )
    assert_problem(
        found, tenants_copy / "countries" / "be.toml", "training.recurring[0].key", "already used"
    )


def test_negative_or_unknown_weight(tenants_copy: Path) -> None:
    append(tenants_copy / "ghent.toml", "[matching.weights]\nsector = -5\nsalary = 10\n")
    found = problems(tenants_copy)
    assert_problem_in(found, tenants_copy, "ghent.toml", "matching.weights.sector", "at least 0")
    assert_problem_in(found, tenants_copy, "ghent.toml", "matching.weights.salary", "unknown field")


def test_module_title_missing_a_branch_locale(tenants_copy: Path) -> None:
    # A new module in a branch, without the English title Brussels needs.
    append(
        tenants_copy / "brussels.toml",
        "[[training.modules]]\n"
        'key = "brussels-services"\n'
        'title = { fr = "Services bruxellois", nl = "Brusselse diensten" }\n'
        'description = { fr = "Actiris, CPAS.", nl = "Actiris, OCMW.", en = "Actiris." }\n'
        "duration_minutes = 180\n"
        'audience = "mentors"\n',
    )
    # A country module without a Dutch title: fine for Liège (fr), not for Ghent (nl).
    replace(
        tenants_copy / "countries" / "be.toml",
        'title = { en = "Support organisations", fr = "Organismes d\'accompagnement", '
        'nl = "Ondersteunende organisaties" }',
        'title = { en = "Support organisations", fr = "Organismes d\'accompagnement" }',
    )
    found = problems(tenants_copy)
    assert_problem_in(
        found, tenants_copy, "brussels.toml", "training.modules[0].title", "locale en"
    )
    country = tenants_copy / "countries" / "be.toml"
    for slug in ("antwerp", "ghent", "mechelen", "brussels"):
        assert_problem(found, country, "training.modules[3].title", "locale nl", slug)
    assert not any("liege" in problem.message for problem in found)


def test_problem_and_error_format() -> None:
    problem = ConfigProblem(Path("tenants/x.toml"), "eligibility.mentee.rules[2].min", "too big")
    assert str(problem) == "tenants/x.toml: eligibility.mentee.rules[2].min: too big"
    error = ConfigError([problem, ConfigProblem(Path("tenants/y.toml"), "", "not UTF-8 text")])
    assert str(error).splitlines() == [str(problem), "tenants/y.toml: not UTF-8 text"]
    assert error.problems[1].file == Path("tenants/y.toml")
