"""The privacy pages: the coordinator's (ledger, withdrawal, copy, erasure, the link) and the
person's own through a personal link; other branches, HQ and anonymous visitors get nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from duo.core import links
from duo.core.audit.models import AuditEvent
from duo.core.links.models import PersonalLink
from duo.people import states
from duo.people.models import Person
from duo.privacy import consent, gdpr
from duo.privacy.config import PRIVACY_NOTICE, SENSITIVE_FACTS
from duo.privacy.models import COORDINATOR, LINK, WITHDRAW, Consent
from support import mails_to


@pytest.fixture
def person(db, create_person, in_tenant):
    person = create_person(
        "brussels", first_name="Samira", last_name="Haddad", state=states.ELIGIBLE
    )
    with in_tenant("brussels"):
        consent.record(person, PRIVACY_NOTICE, locale="fr")
        consent.record(person, SENSITIVE_FACTS, locale="fr", channel=COORDINATOR)
        # Read inside the scope: on PostgreSQL a row is invisible outside its branch.
        return SimpleNamespace(id=person.id, email=person.email, tenant_id=person.tenant_id)


def _paths(person) -> list[tuple[str, str]]:
    base = f"/brussels/people/{person.id}/privacy"
    return [
        ("GET", base),
        ("GET", f"{base}/export.json"),
        ("POST", f"{base}/withdraw"),
        ("POST", f"{base}/erase"),
        ("POST", f"{base}/link"),
    ]


def _ledger(db, in_tenant, person) -> list[tuple[str, str, str]]:
    with in_tenant("brussels"):
        return [(c.kind, c.action, c.channel) for c in consent.ledger(person)]


def test_the_coordinators_page_shows_the_ledger_and_the_rights(db, login, person) -> None:
    client = login(branches=["brussels"], locale="en")
    response = client.get(f"/brussels/people/{person.id}/privacy")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Taking part in the programme",
        "Migration background and residence status",
        "2026-11-v1",
        "sign-up form",
        "Download all their data (JSON)",
        "Erase their personal data now",
        "No more e-mails go to them",
    ):
        assert text in html, text
    person_page = client.get(f"/brussels/people/{person.id}").get_data(as_text=True)
    assert f"/brussels/people/{person.id}/privacy" in person_page


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_the_page_reads_in_french_and_dutch(db, login, person, locale) -> None:
    html = (
        login(branches=["brussels"], locale=locale)
        .get(f"/brussels/people/{person.id}/privacy")
        .get_data(as_text=True)
    )
    title = {"fr": "Participation au programme", "nl": "Deelname aan het programma"}[locale]
    assert title in html


def test_other_branches_hq_and_anonymous_get_nothing(db, login, client, person) -> None:
    other = login(branches=["antwerp"])
    hq = login(hq=True)
    for method, path in _paths(person):
        for visitor in (other, hq):
            response = visitor.open(path, method=method, data={"purpose": PRIVACY_NOTICE})
            assert response.status_code == 404, (method, path)
            assert "Samira" not in response.get_data(as_text=True)
        response = client.open(path, method=method, data={"confirm": "y"})
        assert response.status_code in (302, 401, 404), (method, path)
        assert "/login" in response.headers.get("Location", "/login")
    # A person of Brussels opened under Antwerp's URL is not found either.
    mine = login(branches=["antwerp"])
    assert mine.get(f"/antwerp/people/{person.id}/privacy").status_code == 404


def test_the_export_is_json_with_everything_and_audited(db, login, in_tenant, person) -> None:
    client = login(branches=["brussels"], locale="en")
    response = client.get(f"/brussels/people/{person.id}/privacy/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert document["person"]["last_name"] == "Haddad"
    assert [c["kind"] for c in document["consents"]] == [PRIVACY_NOTICE, SENSITIVE_FACTS]
    with in_tenant("brussels"):
        event = db.session.execute(select(AuditEvent)).scalars().one()
    assert (event.action, event.object, event.actor_user_id) == (
        "export",
        f"person:{person.id}.json",
        client.user.id,
    )


def test_a_coordinator_withdraws_the_privacy_consent(db, login, in_tenant, person) -> None:
    client = login(branches=["brussels"], locale="en")
    url = f"/brussels/people/{person.id}/privacy/withdraw"
    # The required purpose needs the box ticked: 400, nothing changed.
    response = client.post(url, data={"purpose": PRIVACY_NOTICE})
    assert response.status_code == 400
    assert "Tick the box" in response.get_data(as_text=True)
    assert len(_ledger(db, in_tenant, person)) == 2
    response = client.post(url, data={"purpose": PRIVACY_NOTICE, "confirm": "y"})
    assert response.status_code == 302
    ledger = _ledger(db, in_tenant, person)
    assert (PRIVACY_NOTICE, WITHDRAW, COORDINATOR) in ledger
    assert (SENSITIVE_FACTS, WITHDRAW, COORDINATOR) in ledger
    with in_tenant("brussels"):
        assert db.session.get(Person, (person.tenant_id, person.id)).state == states.WITHDRAWN
        assert gdpr.erasure_of(person.id) is not None
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert actions == ["consent.withdraw"]
    html = client.get(f"/brussels/people/{person.id}/privacy").get_data(as_text=True)
    assert "Erasure scheduled for" in html


@pytest.mark.parametrize(
    ("purpose", "message"),
    [
        ("", "Choose what to withdraw."),
        ("marketing", "Unknown purpose."),
        ("privacy\x00notice", "control characters"),
        ("x" * 41, "40"),
    ],
)
def test_bad_withdrawals_are_400_and_change_nothing(
    db, login, in_tenant, person, purpose, message
) -> None:
    client = login(branches=["brussels"], locale="en")
    response = client.post(
        f"/brussels/people/{person.id}/privacy/withdraw", data={"purpose": purpose, "confirm": "y"}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(_ledger(db, in_tenant, person)) == 2


def test_withdrawing_what_is_not_given_is_refused(db, login, in_tenant, person) -> None:
    with in_tenant("brussels"):
        consent.withdraw(person, SENSITIVE_FACTS)
    client = login(branches=["brussels"], locale="en")
    response = client.post(
        f"/brussels/people/{person.id}/privacy/withdraw", data={"purpose": SENSITIVE_FACTS}
    )
    assert response.status_code == 400
    assert "nothing to withdraw" in response.get_data(as_text=True)


def test_erasure_needs_the_confirmation_and_is_audited(db, login, in_tenant, person) -> None:
    client = login(branches=["brussels"], locale="en")
    url = f"/brussels/people/{person.id}/privacy/erase"
    response = client.post(url, data={})
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.get_data(as_text=True)
    with in_tenant("brussels"):
        assert not gdpr.is_erased(person.id)
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    with in_tenant("brussels"):
        erased = db.session.execute(select(Person).where(Person.id == person.id)).scalar_one()
        assert "Samira" not in erased.full_name and erased.email.endswith("@erased.invalid")
        event = db.session.execute(select(AuditEvent)).scalars().one()
        assert (event.action, event.object) == ("erase", f"person:{person.id}")
    html = client.get(f"/brussels/people/{person.id}").get_data(as_text=True)
    assert "Erased on" in html and "Samira" not in html
    assert client.post(url, data={"confirm": "y"}).status_code == 400  # once is enough


# --------------------------------------------------------------------------- the link


def _send_link(client, db, tenants, person) -> str:
    response = client.post(f"/brussels/people/{person.id}/privacy/link")
    assert response.status_code == 302
    [mail] = mails_to(tenants["brussels"], person.email)
    assert mail.kind == "privacy.link"
    match = re.search(r"/brussels/privacy/([A-Za-z0-9_-]+)", mail.text)
    assert match, mail.text
    return match.group(1)


def test_the_person_sees_and_withdraws_through_their_link(
    db, app, login, tenants, in_tenant, person
) -> None:
    coordinator = login(branches=["brussels"], locale="en")
    token = _send_link(coordinator, db, tenants, person)
    visitor = app.test_client()
    response = visitor.get(f"/brussels/privacy/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Participation au programme" in html  # in the person's language (fr)
    assert "Vous ne participez plus au programme" in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # Without the box ticked: 400, nothing changed.
    response = visitor.post(f"/brussels/privacy/{token}/withdraw", data={"purpose": PRIVACY_NOTICE})
    assert response.status_code == 400
    assert len(_ledger(db, in_tenant, person)) == 2
    response = visitor.post(
        f"/brussels/privacy/{token}/withdraw", data={"purpose": PRIVACY_NOTICE, "confirm": "y"}
    )
    assert response.status_code == 302
    assert (PRIVACY_NOTICE, WITHDRAW, LINK) in _ledger(db, in_tenant, person)
    with in_tenant("brussels"):
        by = (
            db.session.execute(select(Consent.by_user_id).where(Consent.action == WITHDRAW))
            .scalars()
            .all()
        )
    assert by == [None, None]  # done by the person
    html = visitor.get(f"/brussels/privacy/{token}").get_data(as_text=True)
    assert "Vos données personnelles seront effacées le" in html
    # No further mail goes to them: the coordinator cannot send another link either.
    assert coordinator.post(f"/brussels/people/{person.id}/privacy/link").status_code == 400


def test_a_wrong_expired_or_other_branch_link_changes_nothing(
    db, app, tenants, in_tenant, person
) -> None:
    with in_tenant("brussels"):
        _link, token = links.issue(
            person.id, gdpr.LINK_OBJECT, person.id, gdpr.LINK_PURPOSE, valid_for=timedelta(days=1)
        )
        _duo_link, duo_token = links.issue(
            person.id, "duo", person.id, "duo", valid_for=timedelta(days=1)
        )
        db.session.commit()  # (a request answering 404 rolls back what is not committed)
    visitor = app.test_client()
    assert visitor.get("/brussels/privacy/not-a-token").status_code == 404
    assert visitor.get(f"/antwerp/privacy/{token}").status_code == 404
    assert visitor.get(f"/brussels/privacy/{duo_token}").status_code == 404  # another purpose
    assert visitor.get("/brussels/privacy/" + "x" * 200).status_code == 404
    post = visitor.post(
        f"/antwerp/privacy/{token}/withdraw", data={"purpose": PRIVACY_NOTICE, "confirm": "y"}
    )
    assert post.status_code == 404
    with in_tenant("brussels"):
        link = db.session.execute(
            select(PersonalLink).where(PersonalLink.purpose == "privacy")
        ).scalar_one()
        link.expires_at = link.created_at
        db.session.commit()
    response = visitor.get(f"/brussels/privacy/{token}")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True).lower()
    assert len(_ledger(db, in_tenant, person)) == 2
