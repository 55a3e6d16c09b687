"""The pipeline pages: counts, search and filters, a person's page, to-dos, and who sees what."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from duo.people import states
from duo.people.models import Profile, StateChange
from support import future, make_session, past


@pytest.fixture
def brussels_people(db, in_tenant, create_person):
    """A few Brussels candidates with profiles, and one of Antwerp with the same name."""
    people = {
        "amina": create_person(
            "brussels",
            role="mentee",
            first_name="Amina",
            last_name="Benali",
            email="amina.benali@example.org",
            state=states.ELIGIBLE,
        ),
        "youssef": create_person(
            "brussels",
            role="mentee",
            first_name="Youssef",
            last_name="Haddad",
            email="y.haddad@example.org",
            state=states.ATTENDED,
        ),
        "marc": create_person(
            "brussels",
            role="mentor",
            first_name="Marc",
            last_name="Dupont",
            email="marc@example.org",
            state=states.TRAINED,
        ),
        "lies": create_person(
            "brussels",
            role="mentor",
            first_name="Lies",
            last_name="Peeters",
            email="lies_100%@example.org",
            state=states.NEEDS_REVIEW,
        ),
    }
    with in_tenant("brussels"):
        db.session.add_all(
            [
                Profile(
                    person_id=people["amina"].id,
                    languages={"fr": "B2", "ar": "native"},
                    target_sector="it",
                ),
                Profile(
                    person_id=people["youssef"].id,
                    languages={"nl": "B1"},
                    target_sector="logistics",
                ),
                Profile(
                    person_id=people["marc"].id,
                    languages={"fr": "native"},
                    sectors=["finance", "it"],
                ),
                Profile(
                    person_id=people["lies"].id,
                    languages={"nl": "native", "en": "C1"},
                    sectors=["healthcare"],
                ),
            ]
        )
        db.session.flush()
    people["antwerp"] = create_person(
        "antwerp",
        role="mentee",
        first_name="Amina",
        last_name="Antwerpen",
        email="amina@antwerp.example",
    )
    # Plain values: after a request commits, the ORM objects are expired and (on PostgreSQL,
    # outside a branch scope) row-level security would hide them from a refresh.
    return {key: SimpleNamespace(id=p.id, email=p.email) for key, p in people.items()}


def names(html: str, people: dict) -> set[str]:
    return {key for key, p in people.items() if p.email in html}


def test_list_shows_counts_per_state_for_mentors_and_mentees(login, brussels_people) -> None:
    client = login(branches=["brussels"], locale="en")
    html = client.get("/brussels/people/").get_data(as_text=True)
    assert names(html, brussels_people) == {"amina", "youssef", "marc", "lies"}
    assert 'aria-label="1 mentee: eligible"' in html
    assert 'aria-label="1 mentor: trained"' in html
    assert "4 candidates" in html


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "fr",
            [
                ">Benali, Amina</a>",
                "<strong>éligible</strong>",
                'title="arabe">ar native</span>',
                "<td>Finance, IT</td>",
                "depuis le ",
                ">Arabe</option>",
            ],
        ),
        (
            "nl",
            [
                ">Benali, Amina</a>",
                'title="Arabisch">ar native</span>',
                "Financiën, IT",
                "sinds ",
                ">Arabisch</option>",
            ],
        ),
    ],
)
def test_each_row_says_its_words_in_the_readers_language(
    login, brussels_people, locale, words
) -> None:
    """The rows are built in Python once per page (issue 12): still every label in the
    reader's language, each person's own link, the step, languages and sectors."""
    client = login(branches=["brussels"], locale=locale)
    html = client.get("/brussels/people/").get_data(as_text=True)
    for word in words:
        assert word in html, word
    assert f'href="/brussels/people/{brussels_people["marc"].id}"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=amina", {"amina"}),
        ("q=HADDAD", {"youssef"}),
        ("q=amina+benali", {"amina"}),
        ("q=example.org", {"amina", "youssef", "marc", "lies"}),
        ("q=100%25", {"lies"}),  # LIKE wildcards are searched literally
        ("q=_", {"lies"}),
        ("state=attended_info_session", {"youssef"}),
        ("role=mentor", {"marc", "lies"}),
        ("role=mentee&state=eligible", {"amina"}),
        ("language=fr", {"amina", "marc"}),
        ("language=nl&role=mentor", {"lies"}),
        ("sector=it", {"amina", "marc"}),
        ("sector=healthcare", {"lies"}),
        ("language=ar&sector=it", {"amina"}),
        (
            "state=bogus&role=x&language=123&sector=space&sort=evil&page=abc",
            {"amina", "youssef", "marc", "lies"},
        ),
    ],
)
def test_search_and_filters(login, brussels_people, query, expected) -> None:
    client = login(branches=["brussels"], locale="en")
    response = client.get(f"/brussels/people/?{query}")
    assert response.status_code == 200
    assert names(response.get_data(as_text=True), brussels_people) == expected


def test_session_filter_lists_the_registrations_of_one_session(
    db, tenants, in_tenant, login, brussels_people
) -> None:
    from duo.sessions.models import Registration

    brussels = tenants["brussels"]
    info = make_session(
        brussels, starts_at=future(days=30), language="fr", audience="mentees", place="Rue Haute"
    )
    online = make_session(
        brussels,
        starts_at=future(days=37),
        language="nl",
        place=None,
        online_url="https://meet.example.org/duo",
    )
    with in_tenant("brussels"):
        db.session.add(Registration(session_id=info.id, person_id=brussels_people["youssef"].id))
        db.session.add(Registration(session_id=online.id, person_id=brussels_people["amina"].id))
        db.session.flush()
        info_id, online_id = info.id, online.id
    client = login(branches=["brussels"], locale="en")
    html = client.get(f"/brussels/people/?session={info_id}").get_data(as_text=True)
    assert names(html, brussels_people) == {"youssef"}
    html = client.get(f"/brussels/people/?session={online_id}").get_data(as_text=True)
    assert names(html, brussels_people) == {"amina"}
    page = client.get("/brussels/people/").get_data(as_text=True)
    # newest first; an online session is labelled by its language
    assert page.index(f'value="{online_id}"') < page.index(f'value="{info_id}"')
    assert "Rue Haute" in page and " · nl</option>" in page


def test_session_filter_is_scoped_to_the_branch(db, tenants, login, brussels_people) -> None:
    elsewhere_id = make_session(
        tenants["liege"], language="fr", audience="mentees", place="Place Saint-Lambert"
    ).id
    client = login(branches=["brussels"], locale="en")
    assert "Place Saint-Lambert" not in client.get("/brussels/people/").get_data(as_text=True)
    html = client.get(f"/brussels/people/?session={elsewhere_id}").get_data(as_text=True)
    assert names(html, brussels_people) == set()


def test_pagination_keeps_the_filters(db, in_tenant, create_person, login) -> None:
    for i in range(55):
        create_person(
            "rotterdam", role="mentor", last_name=f"Person{i:02d}", email=f"p{i:02d}@example.org"
        )
    create_person("rotterdam", role="mentee", last_name="Zmentee", email="zz@example.org")
    client = login(branches=["rotterdam"], locale="en")
    first = client.get("/rotterdam/people/?role=mentor").get_data(as_text=True)
    assert "Page 1 of 2" in first and "p49@example.org" in first
    assert "p50@example.org" not in first
    assert "role=mentor" in first[first.index('rel="next"') - 200 :][:400]
    second = client.get("/rotterdam/people/?role=mentor&page=2").get_data(as_text=True)
    assert "p50@example.org" in second and "p54@example.org" in second
    assert "zz@example.org" not in second
    beyond = client.get("/rotterdam/people/?role=mentor&page=99").get_data(as_text=True)
    assert "Page 2 of 2" in beyond


def test_waiting_longest_first(db, in_tenant, create_person, login) -> None:
    old = create_person(
        "liege",
        state=states.ATTENDED,
        email="old@example.org",
        last_name="Zed",
        state_changed_at=past(days=330),
    )
    new = create_person(
        "liege",
        state=states.ATTENDED,
        email="new@example.org",
        last_name="Abe",
        state_changed_at=past(days=180),
    )
    old, new = SimpleNamespace(email=old.email), SimpleNamespace(email=new.email)
    client = login(branches=["liege"], locale="en")
    html = client.get("/liege/people/?state=attended_info_session&sort=waiting").get_data(
        as_text=True
    )
    assert html.index(old.email) < html.index(new.email)
    html = client.get("/liege/people/?state=attended_info_session").get_data(as_text=True)
    assert html.index(new.email) < html.index(old.email)  # by name


def test_dashboard_shows_what_needs_doing_next(login, brussels_people) -> None:
    client = login(branches=["brussels"], locale="en")
    html = client.get("/brussels/").get_data(as_text=True)
    assert "waits for an intake" in html
    assert "eligibility decision to take" in html
    assert "/brussels/people/intakes#intake-to-schedule" in html  # the to-do schedules
    assert "/brussels/people/?state=needs_review&amp;sort=waiting" in html
    # nav entries
    assert 'href="/brussels/people/"' in html and 'href="/brussels/people/import"' in html


def test_person_page_shows_profile_history_and_next_step(login, brussels_people) -> None:
    client = login(branches=["brussels"], locale="en")
    person = brussels_people["youssef"]
    html = client.get(f"/brussels/people/{person.id}").get_data(as_text=True)
    assert "Youssef Haddad" in html and "Record the intake" in html
    assert "Logistics" in html
    html = client.get(f"/brussels/people/{brussels_people['lies'].id}").get_data(as_text=True)
    assert "Decide yourself" in html and "Healthcare" in html


def test_withdraw_needs_a_reason_and_can_be_undone(db, in_tenant, login, brussels_people) -> None:
    client = login(branches=["brussels"], locale="en")
    person = brussels_people["youssef"]
    response = client.post(f"/brussels/people/{person.id}/withdraw", data={"reason": " "})
    assert response.status_code == 400
    assert "Write why the candidate stops." in response.get_data(as_text=True)
    response = client.post(f"/brussels/people/{person.id}/withdraw", data={"reason": "Found a job"})
    assert response.status_code == 302
    html = client.get(f"/brussels/people/{person.id}").get_data(as_text=True)
    assert "Found a job" in html and "Bring back" in html
    assert (
        client.post(
            f"/brussels/people/{person.id}/reinstate", data={"target": "eligible"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/brussels/people/{person.id}/reinstate", data={"target": states.ATTENDED}
        ).status_code
        == 302
    )
    with in_tenant("brussels"):
        db.session.expire_all()
        steps = (
            db.session.execute(
                select(StateChange.to_state)
                .where(StateChange.person_id == person.id)
                .order_by(StateChange.at)
            )
            .scalars()
            .all()
        )
        assert steps == [states.WITHDRAWN, states.ATTENDED]


# --------------------------------------------------------------------------- who sees what


def person_routes(person_id: uuid.UUID) -> list[tuple[str, str, dict]]:
    return [
        ("GET", f"/people/{person_id}", {}),
        ("GET", f"/people/{person_id}/intake", {}),
        ("POST", f"/people/{person_id}/intake", {"postcode": "1000"}),
        ("GET", f"/people/{person_id}/override", {}),
        ("POST", f"/people/{person_id}/override", {"outcome": "eligible", "justification": "x"}),
        ("POST", f"/people/{person_id}/reevaluate", {}),
        ("POST", f"/people/{person_id}/withdraw", {"reason": "x"}),
        ("POST", f"/people/{person_id}/reinstate", {"target": "registered"}),
    ]


def test_a_coordinator_of_another_branch_gets_404_for_real_people(
    db, in_tenant, create_person, coordinator
) -> None:
    paris_person = create_person(
        "paris",
        role="mentee",
        state=states.NEEDS_REVIEW,
        first_name="Secret",
        email="secret@paris.example",
    )
    routes = person_routes(paris_person.id)
    lyon = coordinator("lyon")
    for method, path, data in routes:
        # the Paris person under Lyon's URL, and Paris' URL itself
        for prefix in ("/lyon", "/paris"):
            response = lyon.open(prefix + path, method=method, data=data)
            assert response.status_code == 404, (method, prefix + path, response.status_code)
            assert "secret@paris.example" not in response.get_data(as_text=True)
    assert "secret@paris.example" not in lyon.get("/lyon/people/?q=secret").get_data(as_text=True)
    with in_tenant("paris"):
        db.session.refresh(paris_person)
        assert paris_person.state == states.NEEDS_REVIEW


def test_hq_gets_404_on_every_candidates_page(create_person, hq_client) -> None:
    person = create_person("paris", role="mentee", state=states.NEEDS_REVIEW)
    for method, path, data in [
        ("GET", "/people/", {}),
        ("GET", "/people/import", {}),
        ("GET", "/people/import/template.csv", {}),
        *person_routes(person.id),
    ]:
        response = hq_client.open("/paris" + path, method=method, data=data)
        assert response.status_code == 404, (method, path)


def test_anonymous_visitors_are_sent_to_login(client, create_person) -> None:
    person = create_person("paris")
    for path in ("/paris/people/", f"/paris/people/{person.id}", "/paris/people/import"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
