"""HQ sees consolidated figures per branch and country."""

from __future__ import annotations


def test_figures_per_branch_and_country(hq_client, create_person) -> None:
    create_person("rotterdam", role="mentor")
    create_person("rotterdam", role="mentee")
    create_person("paris", role="mentee")
    html = hq_client.get("/hq/").get_data(as_text=True)
    assert "Rotterdam" in html and "Paris" in html
    assert "NL: 2" in html and "FR: 1" in html


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get("/hq/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
