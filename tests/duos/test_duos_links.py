"""Personal links and the "my duo" page: every path (valid, wrong, expired, revoked, used,
another branch's) in en, fr and nl; private decisions; signatures; the PDF; who may see what.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

import steps
from duo.core import clock, links
from duo.core.db import utcnow
from duo.core.mail.models import OutgoingMail
from duo.duos import agreement, lifecycle, states
from duo.duos.models import Duo, DuoDecision, DuoEvent, DuoSignature
from duo.people import states as person_states
from support import assert_dead_links, html_lang, reading, snapshot, today, translated
from support import run_jobs as drain_jobs

LOCALES = ("en", "fr", "nl")
FRENCH = {"fr": "native"}


def _first_monday(months_ago: int) -> dt.datetime:
    """09:00 UTC on the first Monday of the month ``months_ago`` months before the clock's."""
    year, month = divmod(today().year * 12 + today().month - 1 - months_ago, 12)
    first = dt.date(year, month + 1, 1)
    return dt.datetime.combine(
        first + dt.timedelta(days=-first.weekday() % 7), dt.time(9), tzinfo=dt.UTC
    )


#: Nine months ago, so the duos' stories are over today; early in its month, so that the day
#: a duo starts (six days later) plus six months is the same day of a month, never clamped.
START = _first_monday(9)


def _six_months_after(day: dt.date) -> dt.date:
    """The same day six months later (for a day of the month that every month has)."""
    year, month = divmod(day.month - 1 + 6, 12)
    return dt.date(day.year + year, month + 1, day.day)


@pytest.fixture
def setup(db, in_tenant, pool_factory, create_user, tenants):
    """``setup(locale)``: a Brussels duo at its first meeting (planned two days after START),
    with a link for each side; mentee and mentor read ``locale``."""

    def make(locale: str = "en", branch: str = "brussels") -> SimpleNamespace:
        mentee = pool_factory.mentee(branch, "Amina", languages=FRENCH, last_name="Diallo",
                                     locale=locale)  # fmt: skip
        mentor = pool_factory.mentor(branch, "Luc", languages=FRENCH, last_name="Martin",
                                     locale=locale)  # fmt: skip
        tenant = tenants[branch]
        user = create_user(branches=[branch])
        with in_tenant(branch), clock.frozen(START):
            duo = lifecycle.propose(mentee, mentor)
            steps.plan(duo, tenant, by=user)
            valid = dt.timedelta(days=120)
            tokens = {
                role: links.issue(person.id, "duo", duo.id, "duo", valid_for=valid)[1]
                for role, person in (("mentee", mentee), ("mentor", mentor))
            }
            shot = SimpleNamespace(
                duo=snapshot(duo, ("id", "tenant_id", "mentee_id", "mentor_id")),
                mentee=snapshot(mentee, ("id", "full_name", "first_name")),
                mentor=snapshot(mentor, ("id", "full_name", "first_name")),
            )
            db.session.commit()
        return SimpleNamespace(
            duo=shot.duo,
            mentee=shot.mentee,
            mentor=shot.mentor,
            tokens=tokens,
            tenant=tenant,
            user=user,
            branch=branch,
        )

    return make


def _state(db, in_tenant, s) -> Duo:
    with in_tenant(s.branch):
        db.session.expire_all()
        return db.session.get(Duo, (s.duo.tenant_id, s.duo.id))


@pytest.mark.parametrize("locale", LOCALES)
def test_a_valid_link_opens_my_duo_in_my_language(app, setup, locale) -> None:
    s = setup(locale)
    with clock.frozen(START + dt.timedelta(days=1)):
        response = app.test_client().get(f"/brussels/my/{s.tokens['mentee']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_lang(html) == locale
    assert translated(locale, "My duo with %(partner)s", partner="Luc") in html
    # Before the meeting: no decision form yet.
    assert 'id="decision-form"' not in html
    assert (
        translated(locale, "After the meeting, you can tell us here whether you want to go on.")
        in html
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_a_wrong_link_says_so_and_changes_nothing(app, db, in_tenant, setup, locale) -> None:
    s = setup()
    client = reading(app.test_client(), locale)
    with clock.frozen(START + dt.timedelta(days=3)):
        paths = ("/brussels/my/not-a-token", f"/brussels/my/{s.tokens['mentee']}x",
                 "/brussels/my/" + "a" * 300)  # fmt: skip
        assert_dead_links(client, paths, locale)
        response = client.post("/brussels/my/not-a-token/decision", data={"go_on": "no"})
        assert response.status_code == 404
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(DuoDecision)).scalar() == 0


@pytest.mark.parametrize("locale", LOCALES)
def test_another_branch_does_not_know_the_link(app, setup, locale) -> None:
    s = setup(locale)
    with clock.frozen(START + dt.timedelta(days=3)):
        response = app.test_client().get(f"/antwerp/my/{s.tokens['mentee']}")
        assert response.status_code == 404
        assert "Amina" not in response.get_data(as_text=True)
        post = app.test_client().post(f"/antwerp/my/{s.tokens['mentee']}/decision",
                                      data={"go_on": "yes"})  # fmt: skip
        assert post.status_code == 404


@pytest.mark.parametrize("locale", LOCALES)
def test_an_expired_link_says_so_in_my_language(app, db, in_tenant, setup, locale) -> None:
    s = setup(locale)
    with clock.frozen(START + dt.timedelta(days=121)):
        client = app.test_client()
        response = client.get(f"/brussels/my/{s.tokens['mentor']}")
        assert response.status_code == 410
        html = response.get_data(as_text=True)
        assert html_lang(html) == locale
        assert translated(locale, "This link has expired") in html
        assert translated(locale, "Nothing has been changed.") in html
        post = client.post(f"/brussels/my/{s.tokens['mentor']}/decision", data={"go_on": "no"})
        assert post.status_code == 410
    assert _state(db, in_tenant, s).state == states.FIRST_MEETING


@pytest.mark.parametrize("locale", LOCALES)
def test_a_revoked_link_says_so_and_a_fresh_one_is_mailed(
    app, db, in_tenant, login, setup, locale
) -> None:
    s = setup(locale)
    client = login(branches=["brussels"], locale="en")
    with clock.frozen(START + dt.timedelta(days=3)):
        response = client.post(f"/brussels/duos/{s.duo.id}/links/resend",
                               data={"link-party": "mentor"})  # fmt: skip
        assert response.status_code == 302
        old = app.test_client().get(f"/brussels/my/{s.tokens['mentor']}")
        assert old.status_code == 410
        html = old.get_data(as_text=True)
        assert html_lang(html) == locale
        assert translated(locale, "This link no longer works") in html
        # The mentee's link still works; the mentor got a new one by mail.
        assert app.test_client().get(f"/brussels/my/{s.tokens['mentee']}").status_code == 200
        with in_tenant("brussels"):
            mail = db.session.execute(
                select(OutgoingMail).where(OutgoingMail.kind == "duos.fresh_link")
            ).scalar_one()
            assert mail.person_id == s.mentor.id
            token = re.search(r"/brussels/my/([A-Za-z0-9_-]+)", mail.text).group(1)
            assert mail.subject == translated(locale, "DUO for a JOB: your new personal link")
        assert app.test_client().get(f"/brussels/my/{token}").status_code == 200
        client.post(f"/brussels/duos/{s.duo.id}/links/revoke", data={"link-party": "mentor"})
        assert app.test_client().get(f"/brussels/my/{token}").status_code == 410
        with in_tenant("brussels"):
            kinds = db.session.execute(select(DuoEvent.kind)).scalars().all()
            assert {"link_sent", "link_revoked"} <= set(kinds)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_used_single_use_link_says_so(app, db, in_tenant, setup, locale) -> None:
    s = setup(locale)
    with in_tenant("brussels"), clock.frozen(START):
        link, token = links.issue(
            s.mentee.id, "duo", s.duo.id, "duo",
            valid_for=dt.timedelta(days=7), single_use=True, replace=False,
        )  # fmt: skip
        links.mark_used(link)
        db.session.commit()
    with clock.frozen(START + dt.timedelta(days=1)):
        response = app.test_client().get(f"/brussels/my/{token}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert html_lang(html) == locale
    assert translated(locale, "This link was already used") in html


def test_the_token_is_stored_only_as_a_hash(db, in_tenant, setup) -> None:
    s = setup()
    from duo.core.links.models import PersonalLink

    with in_tenant("brussels"):
        hashes = db.session.execute(select(PersonalLink.token_hash)).scalars().all()
    assert s.tokens["mentee"] not in hashes and len(s.tokens["mentee"]) >= 40


@pytest.mark.parametrize("locale", LOCALES)
def test_decisions_are_private_and_a_no_is_announced_without_who(
    app, db, in_tenant, setup, locale
) -> None:
    s = setup(locale)
    client = app.test_client()
    with clock.frozen(START + dt.timedelta(days=1)):  # before the meeting: refused
        early = client.post(f"/brussels/my/{s.tokens['mentee']}/decision", data={"go_on": "yes"})
        assert early.status_code == 400
    with clock.frozen(START + dt.timedelta(days=3)):
        page = client.get(f"/brussels/my/{s.tokens['mentee']}").get_data(as_text=True)
        assert 'id="decision-form"' in page
        missing = client.post(f"/brussels/my/{s.tokens['mentee']}/decision", data={})
        assert missing.status_code == 400
        assert translated(locale, "Choose yes or no.") in missing.get_data(as_text=True)
        yes = client.post(f"/brussels/my/{s.tokens['mentee']}/decision",
                          data={"go_on": "yes", "reason": "Great talk"})  # fmt: skip
        assert yes.status_code == 302
        again = client.post(f"/brussels/my/{s.tokens['mentee']}/decision", data={"go_on": "no"})
        assert again.status_code == 400
        # The mentor's page does not tell what the mentee said.
        mentor_page = client.get(f"/brussels/my/{s.tokens['mentor']}").get_data(as_text=True)
        assert "Great talk" not in mentor_page and 'id="decision-form"' in mentor_page
        no = client.post(f"/brussels/my/{s.tokens['mentor']}/decision",
                         data={"go_on": "no", "reason": "Too far away"})  # fmt: skip
        assert no.status_code == 302
    duo = _state(db, in_tenant, s)
    assert (duo.state, duo.declined_by) == (states.STOPPED, "mentor")
    with in_tenant("brussels"):
        assert lifecycle.declined_pairs() == {(s.duo.mentee_id, s.duo.mentor_id)}
        events = db.session.execute(select(DuoEvent).where(DuoEvent.kind == "decision")).scalars()
        assert {e.by_person_id for e in events} == {s.mentee.id, s.mentor.id}
        mails = (
            db.session.execute(select(OutgoingMail).where(OutgoingMail.kind == "duos.declined"))
            .scalars()
            .all()
        )
        assert {m.person_id for m in mails} == {s.mentee.id, s.mentor.id}
        for mail in mails:
            assert "Too far away" not in mail.text
            assert mail.subject == translated(locale, "DUO for a JOB: your duo will not go on")
        # Both are back in the pool.
        from duo.people.models import Person

        people = db.session.execute(select(Person).where(Person.id.in_(
            [s.mentee.id, s.mentor.id]))).scalars()  # fmt: skip
        assert {p.state for p in people} == {person_states.ELIGIBLE, person_states.TRAINED}


def test_the_pair_is_never_suggested_again(db, in_tenant, setup, tenants) -> None:
    from duo.matching import session as matching_session

    s = setup()
    with in_tenant("brussels"), clock.frozen(START + dt.timedelta(days=3)):
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        from duo.duos import first_meeting

        first_meeting.decide(duo, "mentee", False, tenant=tenants["brussels"])
        session = matching_session.start_session(tenants["brussels"], by=s.user)
        run = matching_session.run_session(session, tenants["brussels"])
        pairs = {(p.mentee_id, p.mentor_id) for p in run.suggestion.pairs}
        assert (s.duo.mentee_id, s.duo.mentor_id) not in pairs


def test_a_decision_on_behalf_is_marked_with_who_and_why(db, in_tenant, login, setup) -> None:
    s = setup()
    client = login(branches=["brussels"], locale="en")
    url = f"/brussels/duos/{s.duo.id}/decision"
    with clock.frozen(START + dt.timedelta(days=3)):
        missing = client.post(url, data={"behalf-party": "mentor", "behalf-go_on": "yes"})
        assert missing.status_code == 400
        assert "Say why you record this decision for them." in missing.get_data(as_text=True)
        ok = client.post(url, data={"behalf-party": "mentor", "behalf-go_on": "yes",
                                    "behalf-on_behalf_reason": "Told me by phone"})  # fmt: skip
        assert ok.status_code == 302
        html = client.get(f"/brussels/duos/{s.duo.id}").get_data(as_text=True)
    assert "recorded on their behalf" in html and "Told me by phone" in html
    with in_tenant("brussels"):
        decision = db.session.execute(select(DuoDecision)).scalar_one()
        assert decision.recorded_by_user_id == client.user.id
        event = db.session.execute(select(DuoEvent).where(DuoEvent.kind == "decision")).scalar_one()
        assert event.on_behalf and event.by_user_id == client.user.id


@pytest.mark.parametrize("locale", LOCALES)
def test_signing_through_the_link_and_the_pdf(app, db, in_tenant, login, setup, locale) -> None:
    s = setup(locale)
    client = app.test_client()
    coordinator_client = login(branches=["brussels"], locale="en")
    with in_tenant("brussels"), clock.frozen(START + dt.timedelta(days=3)):
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        from duo.people.models import Person

        people = {p.role: p for p in db.session.execute(select(Person).where(
            Person.id.in_([s.mentee.id, s.mentor.id]))).scalars()}  # fmt: skip
        steps.both_yes(duo, s.tenant, people["mentee"], people["mentor"])
        db.session.commit()
    with clock.frozen(START + dt.timedelta(days=5, hours=2)):
        page = client.get(f"/brussels/my/{s.tokens['mentee']}").get_data(as_text=True)
        title = s.tenant.config["duos"]["agreement"]["title"][locale]
        assert title in page and 'id="sign-form"' in page
        wrong = client.post(f"/brussels/my/{s.tokens['mentee']}/sign",
                            data={"full_name": "Someone", "accepted": "y"})  # fmt: skip
        assert wrong.status_code == 400
        assert translated(locale, "Type your full name as we know it: %(name)s.",
                     name=s.mentee.full_name) in wrong.get_data(as_text=True)  # fmt: skip
        unticked = client.post(f"/brussels/my/{s.tokens['mentee']}/sign",
                               data={"full_name": s.mentee.full_name})  # fmt: skip
        assert unticked.status_code == 400
        for role in ("mentee", "mentor"):
            name = getattr(s, role).full_name.upper()  # case does not matter
            ok = client.post(f"/brussels/my/{s.tokens[role]}/sign",
                             data={"full_name": name, "accepted": "y"})  # fmt: skip
            assert ok.status_code == 302
        assert _state(db, in_tenant, s).state == states.CONFIRMED  # the coordinator next
        assert client.get(f"/brussels/my/{s.tokens['mentee']}/agreement.pdf").status_code == 404
    with clock.frozen(START + dt.timedelta(days=6)):
        done = coordinator_client.post(
            f"/brussels/duos/{s.duo.id}/countersign",
            data={"countersign-full_name": coordinator_client.user.name,
                  "countersign-accepted": "y"},
        )  # fmt: skip
        assert done.status_code == 302
    duo = _state(db, in_tenant, s)
    assert duo.state == states.ACTIVE
    assert duo.started_at.replace(microsecond=0) == START + dt.timedelta(days=6)
    assert duo.ends_on == _six_months_after((START + dt.timedelta(days=6)).date())
    with in_tenant("brussels"):
        sigs = db.session.execute(select(DuoSignature)).scalars().all()
        assert {sig.party for sig in sigs} == {"mentee", "mentor", "coordinator"}
        assert {sig.locale for sig in sigs} == {locale}
        assert all(sig.text_version == agreement.version(s.tenant) for sig in sigs)
    with clock.frozen(START + dt.timedelta(days=7)):
        response = client.get(f"/brussels/my/{s.tokens['mentor']}/agreement.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert s.tenant.config["duos"]["agreement"]["title"][locale] in flat
    assert s.tenant.config["duos"]["charter"]["title"][locale] in flat
    assert s.mentee.full_name.upper() in flat and s.mentor.full_name.upper() in flat
    assert agreement.version(s.tenant) in flat
    assert coordinator_client.get(f"/brussels/duos/{s.duo.id}/agreement.pdf").data == response.data


def test_new_routes_are_closed_to_other_branches_and_hq(
    app, db, in_tenant, login, hq_client, setup
) -> None:
    s = setup()
    other = login(branches=["antwerp"], locale="en")
    paths = [
        ("get", f"/brussels/duos/{s.duo.id}/agreement.pdf"),
        ("post", f"/brussels/duos/{s.duo.id}/first-meeting"),
        ("post", f"/brussels/duos/{s.duo.id}/decision"),
        ("post", f"/brussels/duos/{s.duo.id}/countersign"),
        ("post", f"/brussels/duos/{s.duo.id}/links/resend"),
        ("post", f"/brussels/duos/{s.duo.id}/links/revoke"),
        ("get", f"/antwerp/duos/{s.duo.id}/agreement.pdf"),
        ("post", f"/antwerp/duos/{s.duo.id}/first-meeting"),
        ("post", f"/antwerp/duos/{s.duo.id}/links/resend"),
    ]
    with clock.frozen(START + dt.timedelta(days=3)):
        for client in (other, hq_client):
            for method, path in paths:
                response = getattr(client, method)(path, data={"link-party": "mentor"})
                assert response.status_code == 404, (path, response.status_code)
                assert "Amina" not in response.get_data(as_text=True)
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(DuoEvent)).scalar() == 1
    assert _state(db, in_tenant, s).state == states.FIRST_MEETING


def test_planning_sends_both_an_invitation_with_ics(db, in_tenant, setup) -> None:
    s = setup("fr")
    drain_jobs()

    with in_tenant("brussels"):
        mails = (
            db.session.execute(select(OutgoingMail).where(OutgoingMail.kind == "duos.invite"))
            .scalars()
            .all()
        )
    assert {m.person_id for m in mails} == {s.mentee.id, s.mentor.id}
    for mail in mails:
        assert mail.subject == translated("fr", "DUO for a JOB: your first meeting")
        (ics,) = mail.attachments
        assert ics["filename"] == "first-meeting.ics"
        assert "/brussels/my/" in mail.text


def test_the_meeting_date_rules(db, in_tenant, setup, tenants) -> None:
    from duo.duos import first_meeting
    from duo.duos.lifecycle import InvalidDuoTransition

    s = setup()
    tenant = tenants["brussels"]
    with in_tenant("brussels"), clock.frozen(START):
        duo = db.session.get(Duo, (s.duo.tenant_id, s.duo.id))
        for at, place in (
            (dt.datetime(1990, 5, 1, 10, tzinfo=dt.UTC), "Office"),
            (START + dt.timedelta(days=91), "Office"),
            (START + dt.timedelta(days=4), None),
        ):
            with pytest.raises(InvalidDuoTransition):
                first_meeting.plan(duo, first_meeting.MeetingPlan(at=at, place=place),
                                   by=None, tenant=tenant)  # fmt: skip
        # Moving it is fine while nobody has decided.
        first_meeting.plan(duo, first_meeting.MeetingPlan(
            at=START + dt.timedelta(days=4), video_url="https://meet.example.org/x"),
            by=None, tenant=tenant)  # fmt: skip
        assert duo.first_meeting_at == START + dt.timedelta(days=4)
    assert utcnow() > START


def test_mail_and_pdf_dates_read_as_the_branch_writes_them(tenants) -> None:
    """Jobs format outside a request: the branch still picks the regional English (day
    before month, 24-hour clock) and no time shows seconds."""
    import datetime as _dt

    from duo.duos import display

    local = display.formatter(tenants["brussels"], "en")
    # A fixed winter day: Brussels is then at UTC+1, whatever the day the suite runs.
    moment = _dt.datetime(2026, 3, 9, 13, 30, tzinfo=_dt.UTC)  # 14:30 in Brussels
    text = local(moment)
    assert "14:30" in text and "14:30:00" not in text and "PM" not in text
    assert text.index("9") < text.index("Mar"), text
    day = local(moment.date())
    assert day.index("9") < day.index("Mar"), day
    assert "14:30" in display.formatter(tenants["lyon"], "fr")(moment)
