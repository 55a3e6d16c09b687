"""Matching pages: a session over the whole pool, explained, decided by the coordinator."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from duo.duos.models import Duo, DuoStateChange
from duo.matching.models import MatchingConstraint, MatchingSession
from duo.people import states as person_states
from duo.people.models import Person
from support import run_jobs, snapshot

FRENCH = {"fr": "native"}


@pytest.fixture
def people(pool_factory):
    """Two mentees and two mentors of Rotterdam whose best pairs are obvious."""
    made = {
        "amina": pool_factory.mentee(
            "rotterdam",
            "Amina",
            last_name="Bakri",
            weeks=6,
            target_sector="it",
            help_questions=["cv", "network"],
            interests=["chess"],
        ),
        "omar": pool_factory.mentee(
            "rotterdam",
            "Omar",
            last_name="Haddou",
            weeks=2,
            target_sector="logistics",
            help_questions=["interview"],
        ),
        "jan": pool_factory.mentor(
            "rotterdam",
            "Jan",
            last_name="Visser",
            sectors=["it"],
            help_questions=["cv"],
            interests=["chess"],
        ),
        "piet": pool_factory.mentor(
            "rotterdam",
            "Piet",
            last_name="Smit",
            sectors=["logistics"],
            help_questions=["interview"],
        ),
    }
    return {name: snapshot(person) for name, person in made.items()}


def _start(client) -> str:
    response = client.post("/rotterdam/matching/sessions")
    assert response.status_code == 302
    return response.headers["Location"]


def _key(mentee, mentor) -> str:
    return f"{mentee.id}:{mentor.id}"


def _counts(db, in_tenant, branch: str = "rotterdam") -> tuple[int, int, int]:
    with in_tenant(branch):
        return tuple(
            db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Duo, DuoStateChange, MatchingConstraint)
        )


def test_the_session_page_explains_every_suggestion(coordinator, people) -> None:
    client = coordinator("rotterdam", locale="en")
    index = client.get("/rotterdam/matching/")
    assert index.status_code == 200
    assert 'id="start-session"' in index.get_data(as_text=True)
    url = _start(client)
    html = client.get(url).get_data(as_text=True)
    amina, jan, omar, piet = people["amina"], people["jan"], people["omar"], people["piet"]
    assert f'value="{_key(amina, jan)}"' in html
    assert f'value="{_key(omar, piet)}"' in html
    # Score per criterion, with the sentence saying why.
    assert "Mentor worked 20 years in IT; mentee aims at IT" in html
    assert "Shared interests: chess" in html
    # Waiting time, and the best alternative for each mentee.
    assert "Waiting for 6 weeks" in html
    assert f"Best alternatives for {amina.full_name}" in html
    # Stable ids and accessible names for the controls.
    for control in ("accept-selected", "accept-all", "rerun", "close-session"):
        assert f'id="{control}"' in html
    assert f'aria-label="Accept the duo {amina.full_name} and {jan.full_name}"' in html
    # The index now leads back to the open session.
    assert 'id="continue-session"' in client.get("/rotterdam/matching/").get_data(as_text=True)


def test_sentences_are_in_the_coordinators_language(coordinator, people, app) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    english = client.get(url).get_data(as_text=True)
    assert "Both speak Dutch and English" in english or "Both speak English and Dutch" in english
    client.post("/language", data={"locale": "nl", "next": url})
    dutch = client.get(url).get_data(as_text=True)
    assert '<html lang="nl">' in dutch
    assert "Nederlands" in dutch  # CLDR names the languages in the reader's language


def test_unmatched_people_are_listed_with_the_reason(coordinator, people, pool_factory) -> None:
    pool_factory.mentee("rotterdam", "Samir", languages=None)
    pool_factory.mentee("rotterdam", "Lina", languages={"en": "A2", "ar": "native"})
    pool_factory.mentor("rotterdam", "Kees", trained=False)
    html = (
        coordinator("rotterdam", locale="en")
        .get(_start(coordinator("rotterdam", locale="en")))
        .get_data(as_text=True)
    )
    unmatched = html[html.index('id="unmatched-mentees"') :]
    assert "Samir" in unmatched and "complete the intake" in unmatched
    assert "Lina" in unmatched and "B1 or above" in unmatched
    assert "Kees" in unmatched and "required training" in unmatched


def test_lock_exclude_and_remove_reoptimise_the_rest(db, in_tenant, coordinator, people) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    amina, jan, omar, piet = people["amina"], people["jan"], people["omar"], people["piet"]
    response = client.post(f"{url}/constraints", data={"constraint": f"lock:{_key(amina, piet)}"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert f'id="unlock-{amina.id}"' in html
    assert f'value="{_key(omar, jan)}"' in html  # the other pair re-optimised around the lock
    response = client.post(f"{url}/constraints", data={"constraint": f"exclude:{_key(omar, jan)}"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert f'name="pair" value="{_key(omar, jan)}"' not in html
    with in_tenant("rotterdam"):
        lock = db.session.execute(
            select(MatchingConstraint).where(MatchingConstraint.kind == "lock")
        ).scalar_one()
        assert lock.by_user_id == client.user.id
    response = client.post(f"{url}/constraints/{lock.id}/remove")
    assert response.status_code == 302
    with in_tenant("rotterdam"):
        db.session.expire_all()
        lock = db.session.get(MatchingConstraint, (lock.tenant_id, lock.id))
        assert lock.removed_at is not None and lock.removed_by_user_id == client.user.id


def test_accepting_one_duo_creates_it_and_takes_both_out_of_the_pool(
    db, in_tenant, coordinator, people
) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    amina, jan = people["amina"], people["jan"]
    response = client.post(
        f"{url}/accept", data={"accept_one": _key(amina, jan), "suggested": [_key(amina, jan)]}
    )
    assert response.status_code == 302
    with in_tenant("rotterdam"):
        duo = db.session.execute(select(Duo)).scalar_one()
        assert (duo.mentee_id, duo.mentor_id, duo.state) == (amina.id, jan.id, "proposed")
        assert duo.history[0].by_user_id == client.user.id
        assert duo.history[0].details["suggested"] is True
        states = dict(
            db.session.execute(
                select(Person.id, Person.state).where(Person.id.in_([amina.id, jan.id]))
            ).all()
        )
        assert set(states.values()) == {person_states.MATCHED}
    html = client.get(url).get_data(as_text=True)
    assert "1 duo proposed" in html
    assert f'name="pair" value="{_key(amina, jan)}"' not in html
    assert "Duos proposed in this session (1)" in html


def test_accepting_in_bulk_and_the_mails_that_follow(db, in_tenant, coordinator, people) -> None:
    from duo.core.mail.models import OutgoingMail

    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    amina, jan, omar, piet = people["amina"], people["jan"], people["omar"], people["piet"]
    response = client.post(
        f"{url}/accept",
        data={"action": "selected", "pair": [_key(amina, jan), _key(omar, piet)]},
    )
    assert response.status_code == 302
    run_jobs()
    with in_tenant("rotterdam"):
        assert db.session.execute(select(func.count()).select_from(Duo)).scalar_one() == 2
        mails = db.session.execute(select(OutgoingMail)).scalars().all()
        assert sorted(m.recipient for m in mails) == sorted(
            p.email for p in (amina, jan, omar, piet)
        )
        mentee_mail = next(m for m in mails if m.recipient == amina.email)
        assert "Jan" in mentee_mail.text and "Visser" not in mentee_mail.text


def test_accept_all_takes_the_suggestion_as_shown(db, in_tenant, coordinator, people) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    html = client.get(url).get_data(as_text=True)
    shown = re.findall(r'name="suggested" value="([^"]+)"', html)
    assert len(shown) == 2
    response = client.post(f"{url}/accept", data={"action": "all", "suggested": shown})
    assert response.status_code == 302
    assert _counts(db, in_tenant)[0] == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "selected"}, "Choose at least one duo to accept."),
        ({"accept_one": "not-a-pair"}, "could not be read"),
        ({"action": "selected", "pair": ["x:y"]}, "could not be read"),
    ],
)
def test_bad_acceptances_are_refused_and_write_nothing(
    db, in_tenant, coordinator, people, data, message
) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    before = _counts(db, in_tenant)
    response = client.post(f"{url}/accept", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _counts(db, in_tenant) == before


def test_accepting_an_excluded_pair_is_refused(db, in_tenant, coordinator, people) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    amina, jan, omar, piet = people["amina"], people["jan"], people["omar"], people["piet"]
    client.post(f"{url}/constraints", data={"constraint": f"exclude:{_key(amina, jan)}"})
    before = _counts(db, in_tenant)
    response = client.post(
        f"{url}/accept",
        data={"action": "selected", "pair": [_key(omar, piet), _key(amina, jan)]},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="matching-errors"' in html and "Nothing was saved" in html
    assert "A coordinator excluded this pair" in html
    assert _counts(db, in_tenant) == before


def test_a_stale_suggestion_is_refused_after_someone_else_accepted(
    db, in_tenant, coordinator, people
) -> None:
    first, second = coordinator("rotterdam", locale="en"), coordinator("rotterdam", locale="en")
    url = _start(first)
    amina, jan, omar, piet = people["amina"], people["jan"], people["omar"], people["piet"]
    shown = re.findall(r'name="suggested" value="([^"]+)"', second.get(url).get_data(as_text=True))
    assert first.post(f"{url}/accept", data={"accept_one": _key(amina, jan)}).status_code == 302
    before = _counts(db, in_tenant)
    response = second.post(f"{url}/accept", data={"action": "all", "suggested": shown})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"{amina.full_name} is no longer waiting in the pool" in html
    assert _counts(db, in_tenant) == before
    # The refreshed page no longer offers the accepted pair.
    assert f'value="{_key(amina, jan)}"' not in html
    assert f'value="{_key(omar, piet)}"' in html


def test_a_closed_session_takes_no_more_decisions(db, in_tenant, coordinator, people) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    amina, jan, omar = people["amina"], people["jan"], people["omar"]
    client.post(f"{url}/constraints", data={"constraint": f"exclude:{_key(omar, jan)}"})
    client.post(f"{url}/constraints", data={"constraint": f"lock:{_key(amina, jan)}"})
    client.post(f"{url}/constraints", data={"constraint": f"exclude:{_key(amina, jan)}"})
    assert client.post(f"{url}/close").status_code == 302
    # The closed session keeps the record: every decision, lifted ones too, and by whom.
    record = client.get(url).get_data(as_text=True)
    table = record[record.index('id="matching-constraints"') :]
    assert table.count("<tr id=") == 3
    assert table.count(client.user.name) == 4  # three decisions, one lifted
    assert 'id="suggestion-form"' not in record
    before = _counts(db, in_tenant)
    response = client.post(f"{url}/accept", data={"accept_one": _key(amina, jan)})
    assert response.status_code == 400
    assert "closed" in response.get_data(as_text=True)
    response = client.post(f"{url}/constraints", data={"constraint": f"lock:{_key(amina, jan)}"})
    assert response.status_code == 400
    assert _counts(db, in_tenant) == before
    assert 'id="start-session"' in client.get("/rotterdam/matching/").get_data(as_text=True)


def test_the_matching_page_needs_the_same_queries_for_small_and_large_pools(
    coordinator,
    pool_factory,
    people,
    count_queries,
) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    client.post(
        f"{url}/constraints", data={"constraint": f"exclude:{_key(people['omar'], people['jan'])}"}
    )
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for n in range(12):
        pool_factory.mentee("rotterdam", f"Mentee{n}", weeks=n, help_questions=["cv"])
        pool_factory.mentor("rotterdam", f"Mentor{n}", sectors=["it"])
    run_jobs()  # what the new people queued (reporting refresh): the outbox empty again
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count
    assert large.count <= 10, "\n".join(large.statements)
    # A mentee's page (alternatives explained) is as constant.
    mentee_url = f"{url}/mentees/{people['amina'].id}"
    client.get(mentee_url)
    with count_queries() as mentee_page:
        assert client.get(mentee_url).status_code == 200
    assert mentee_page.count <= 10, "\n".join(mentee_page.statements)


def test_another_branch_gets_404_and_nothing_is_written(
    db,
    in_tenant,
    tenants,
    coordinator,
    hq_client,
    people,
    pool_factory,
) -> None:
    awa = snapshot(pool_factory.mentee("lyon", "Awa", last_name="Diallo", languages=FRENCH))
    claire = snapshot(pool_factory.mentor("lyon", "Claire", last_name="Martin", languages=FRENCH))
    lyon = coordinator("lyon", locale="en")
    lyon_url = lyon.post("/lyon/matching/sessions").headers["Location"]
    lyon_id = lyon_url.rsplit("/", 1)[1]
    rotterdam = coordinator("rotterdam", locale="en")
    # Another branch's session: 404 under either prefix, for pages and decisions alike.
    for prefix in ("/rotterdam", "/lyon"):
        base = f"{prefix}/matching/sessions/{lyon_id}"
        assert rotterdam.get(base).status_code == 404
        assert (
            rotterdam.post(f"{base}/accept", data={"accept_one": _key(awa, claire)}).status_code
            == 404
        )
        assert rotterdam.post(f"{base}/close").status_code == 404
    assert rotterdam.get("/lyon/matching/").status_code == 404
    # Lyon's people named in Rotterdam's own session: refused, without a name, nothing written.
    url = _start(rotterdam)
    before = _counts(db, in_tenant, "lyon")
    response = rotterdam.post(f"{url}/accept", data={"accept_one": _key(awa, claire)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not in this branch" in html
    assert "Diallo" not in html and "Martin" not in html
    response = rotterdam.post(
        f"{url}/constraints", data={"constraint": f"lock:{_key(awa, claire)}"}
    )
    assert response.status_code == 400
    assert _counts(db, in_tenant, "lyon") == before
    assert _counts(db, in_tenant, "rotterdam")[:2] == (0, 0)
    # HQ sees no branch page.
    assert hq_client.get("/rotterdam/matching/").status_code == 404
    assert hq_client.get(lyon_url).status_code == 404
    with in_tenant("lyon"):
        assert db.session.execute(select(MatchingSession)).scalar_one().status == "open"


def test_dashboard_shows_the_waiting_mentees_with_the_longest_wait(coordinator, people) -> None:
    html = coordinator("rotterdam", locale="en").get("/rotterdam/").get_data(as_text=True)
    assert "mentees waiting for a mentor (the longest for 6 weeks)" in html
    assert 'href="/rotterdam/matching/"' in html


def test_navigation_has_matching_and_duos(coordinator) -> None:
    html = coordinator("rotterdam", locale="en").get("/rotterdam/matching/").get_data(as_text=True)
    assert 'href="/rotterdam/matching/" aria-current="page">Matching' in html
    assert 'href="/rotterdam/duos/"' in html


def test_a_large_session_comes_a_page_at_a_time(coordinator, people, pool_factory, monkeypatch):
    from duo.matching import presenter

    monkeypatch.setattr(presenter, "PAGE_SIZE", 2)
    for n in range(3):
        pool_factory.mentee("rotterdam", f"Extra{n}", weeks=1, help_questions=["cv"])
        pool_factory.mentor("rotterdam", f"Helper{n}", sectors=["it"])
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    first = client.get(url).get_data(as_text=True)
    assert first.count('name="pair"') == 2
    assert "Duos 1 to 2 of 5" in first and "Page 1 of 3" in first
    assert f'href="{url}?page=2"' in first
    # The longest-waiting mentees come first.
    assert people["amina"].full_name in first and people["omar"].full_name in first
    assert "Extra" not in first.split('id="summary-heading"')[0]
    third = client.get(f"{url}?page=3").get_data(as_text=True)
    assert third.count('name="pair"') == 1 and 'name="page" value="3"' in third
    # Pages past the end, and pages that do not read, show a page that exists.
    for page in ("99", "0", "-1", "abc", "1" * 400):
        response = client.get(f"{url}?page={page}")
        assert response.status_code == 200, page
        assert 'name="pair"' in response.get_data(as_text=True)
    assert client.get(f"{url}?page=%00").status_code == 400  # NUL bytes: refused app-wide
    # A decision taken on page 2 comes back to page 2.
    page_two = client.get(f"{url}?page=2").get_data(as_text=True)
    key = re.search(r'name="suggested" value="([^"]+)"', page_two).group(1)
    response = client.post(f"{url}/constraints", data={"constraint": f"lock:{key}", "page": "2"})
    assert response.status_code == 302 and response.headers["Location"].endswith("?page=2")


def test_a_bad_page_in_a_decision_is_refused_and_writes_nothing(
    db, in_tenant, coordinator, people
) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    key = _key(people["amina"], people["jan"])
    before = _counts(db, in_tenant)
    for page in ("abc", "0", "\x00", "9" * 40):
        response = client.post(
            f"{url}/constraints", data={"constraint": f"lock:{key}", "page": page}
        )
        assert response.status_code == 400, page
        assert 'id="matching-errors"' in response.get_data(as_text=True)
    assert _counts(db, in_tenant) == before


def test_the_mentee_page_explains_the_alternatives(coordinator, people, db, in_tenant) -> None:
    client = coordinator("rotterdam", locale="en")
    url = _start(client)
    amina, jan, piet = people["amina"], people["jan"], people["piet"]
    html = client.get(url).get_data(as_text=True)
    link = f"{url}/mentees/{amina.id}"
    assert f'href="{link}"' in html  # from the alternatives of Amina's pair
    page = client.get(link).get_data(as_text=True)
    assert f"Options for {amina.full_name}" in page
    assert page.count('class="criteria"') == 2  # her pair with Jan, and Piet instead
    assert "Mentor worked 20 years in IT; mentee aims at IT" in page
    assert f'value="lock:{_key(amina, piet)}"' in page
    # Locking the alternative from there re-optimises the session.
    response = client.post(f"{url}/constraints", data={"constraint": f"lock:{_key(amina, piet)}"})
    assert response.status_code == 302
    assert f'id="unlock-{amina.id}"' in client.get(url).get_data(as_text=True)
    # A mentor, someone unknown, a closed session: no such page.
    assert client.get(f"{url}/mentees/{jan.id}").status_code == 404
    assert client.get(f"{url}/mentees/{uuid.uuid4()}").status_code == 404
    client.post(f"{url}/close")
    assert client.get(link).status_code == 404


def test_the_mentee_page_of_another_branch_is_404(
    coordinator, hq_client, people, pool_factory
) -> None:
    awa = snapshot(pool_factory.mentee("lyon", "Awa", last_name="Diallo", languages=FRENCH))
    pool_factory.mentor("lyon", "Claire", last_name="Martin", languages=FRENCH)
    lyon = coordinator("lyon", locale="en")
    lyon_url = lyon.post("/lyon/matching/sessions").headers["Location"]
    lyon_id = lyon_url.rsplit("/", 1)[1]
    assert lyon.get(f"{lyon_url}/mentees/{awa.id}").status_code == 200
    rotterdam = coordinator("rotterdam", locale="en")
    rotterdam_url = _start(rotterdam)
    for path in (
        f"/rotterdam/matching/sessions/{lyon_id}/mentees/{awa.id}",
        f"/lyon/matching/sessions/{lyon_id}/mentees/{awa.id}",
        f"{rotterdam_url}/mentees/{awa.id}",  # Lyon's mentee inside Rotterdam's session
    ):
        response = rotterdam.get(path)
        assert response.status_code == 404, path
        assert "Diallo" not in response.get_data(as_text=True)
    # HQ gets no personal data from it.
    assert hq_client.get(f"/lyon/matching/sessions/{lyon_id}/mentees/{awa.id}").status_code == 404
    assert hq_client.get(f"{rotterdam_url}/mentees/{people['amina'].id}").status_code == 404
