"""Issue 14, item 6: employment services come from the country's (or branch's) configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from duo.core.settings import REPO_ROOT
from duo.core.tenancy.config import load_tenants

EXPECTED = {
    "brussels": ["Actiris", "VDAB"],
    "liege": ["Le Forem"],
    "antwerp": ["VDAB"],
    "rotterdam": ["UWV"],
    "paris": ["France Travail"],
}


def test_every_branch_has_its_own_employment_services(tenants) -> None:
    for slug, services in EXPECTED.items():
        assert tenants[slug].config["choices"]["employment_services"] == services, slug


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_the_sign_up_answer_names_only_the_branchs_services(app, tenants, slug: str) -> None:
    from duo.sessions.display import heard_from_label

    with app.test_request_context(f"/{slug}/join"):
        label = heard_from_label("employment_service", tenants[slug])
    for services in EXPECTED.values():
        for name in services:
            assert (name in label) == (name in EXPECTED[slug]), (slug, name, label)


def test_a_country_file_without_the_list_is_refused(tmp_path: Path) -> None:
    countries = tmp_path / "countries"
    countries.mkdir()
    text = (REPO_ROOT / "tenants" / "countries" / "be.toml").read_text(encoding="utf-8")
    start = text.index("[choices]")
    end = text.index("\n[", start + 1)
    (countries / "be.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    (tmp_path / "liege.toml").write_text(
        (REPO_ROOT / "tenants" / "liege.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(Exception) as caught:
        load_tenants(tmp_path)
    assert "choices" in str(caught.value)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_the_intake_question_names_only_the_branchs_services(
    coordinator, create_person, slug: str
) -> None:
    from duo.people import states

    person_id = create_person(slug, role="mentee", state=states.ATTENDED).id
    html = coordinator(slug).get(f"/{slug}/people/{person_id}/intake").get_data(as_text=True)
    hint = html.split('id="registered_jobseeker"')[1].split("</fieldset>")[0]
    for services in EXPECTED.values():
        for name in services:
            assert (name in hint) == (name in EXPECTED[slug]), (slug, name)
