"""Locale order: the user's choice, the branch's default, the browser's among the offered."""

from __future__ import annotations

from support import today

YEAR = today().year


def test_branch_default_comes_before_the_browser(coordinator) -> None:
    client = coordinator("brussels")
    html = client.get("/brussels/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_user_choice_wins_among_the_branchs_locales(coordinator) -> None:
    client = coordinator("brussels")
    client.post("/language", data={"locale": "nl", "next": "/brussels/"})
    html = client.get("/brussels/").get_data(as_text=True)
    assert '<html lang="nl">' in html


def test_choice_outside_the_branchs_locales_is_ignored(coordinator) -> None:
    client = coordinator("liege")
    client.post("/language", data={"locale": "nl", "next": "/liege/"})
    html = client.get("/liege/").get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_switcher_offers_only_the_branchs_locales(coordinator) -> None:
    html = coordinator("rotterdam").get("/rotterdam/").get_data(as_text=True)
    assert 'value="nl"' in html and 'value="en"' in html and 'value="fr"' not in html
    single = coordinator("ghent").get("/ghent/").get_data(as_text=True)
    assert 'name="locale"' not in single  # one language: no switcher


def test_browser_language_outside_branches(client) -> None:
    html = client.get("/login", headers={"Accept-Language": "nl-BE,nl;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="nl">' in html


def test_unknown_language_is_a_bad_request(client) -> None:
    assert client.post("/language", data={"locale": "de"}).status_code == 400


def test_open_redirect_is_refused(client) -> None:
    response = client.post("/language", data={"locale": "fr", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_dates_follow_locale_and_branch_time_zone(app) -> None:
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_datetime

    moment = datetime(YEAR, 7, 14, 16, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        from flask import g

        from duo.core.tenancy.models import Tenant

        g.tenant = Tenant(slug="x", locales=["fr"], timezone="Europe/Paris", name={"fr": "X"})
        with force_locale("fr"):
            text = format_datetime(moment, "long")
    assert "18:00" in text and "juillet" in text


def test_labels_remembered_in_a_request_follow_a_change_of_language(app) -> None:
    """``people_label`` keeps a request's labels per language (``locale_memo``): an e-mail
    written in the reader's language inside a page's request gets that language's words."""
    from flask_babel import force_locale

    from duo.intake.views.blueprint import people_label

    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert people_label("role", "mentor") == "mentor"
        assert people_label("state", "eligible") == "éligible"
        with force_locale("nl"):
            assert people_label("state", "eligible") == "geschikt"
        with force_locale("en"):
            assert people_label("state", "eligible") == "eligible"
        assert people_label("state", "eligible") == "éligible"
