"""The pool of a branch, the suggestion around locks and exclusions, all-or-nothing decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from duo.duos import first_meeting, lifecycle
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.matching import decisions, pool_profiles
from duo.matching import pool as matching_pool
from duo.matching import session as matching_session
from duo.matching.models import EXCLUDE, LOCK, MatchingConstraint
from duo.people import states as person_states

FRENCH = {"fr": "native"}


@pytest.fixture
def rotterdam(in_tenant, tenants):
    """Work inside Rotterdam; returns the tenant."""
    with in_tenant("rotterdam"):
        yield tenants["rotterdam"]


def _duo_count(db) -> int:
    return db.session.execute(select(func.count()).select_from(Duo)).scalar_one()


def test_the_pool_holds_waiting_mentees_and_free_trained_mentors(
    pool_factory,
    in_tenant,
    tenants,
) -> None:
    waiting = pool_factory.mentee("rotterdam", "Amina", weeks=3)
    pool_factory.mentee("rotterdam", "Omar", state=person_states.INTAKE_DONE)
    pool_factory.mentee("rotterdam", "Awa", state=person_states.MATCHED)
    mentor = pool_factory.mentor("rotterdam", "Jan")
    untrained = pool_factory.mentor("rotterdam", "Kees", trained=False)
    pool_factory.mentor("rotterdam", "Els", state=person_states.IN_TRAINING)
    pool_factory.mentee("lyon", "Fatou", languages=FRENCH)
    no_intake = pool_factory.mentee("rotterdam", "Samir", languages=None)
    with in_tenant("rotterdam"):
        pool = matching_pool.load_pool(tenants["rotterdam"])
    assert {p.first_name for p in pool.mentees} == {"Amina", "Samir"}
    assert {p.first_name for p in pool.mentors} == {"Jan", "Kees"}
    assert set(pool.mentee_profiles) == {waiting.id}
    assert pool.mentor_profiles[mentor.id].trained
    assert not pool.mentor_profiles[untrained.id].trained
    assert [p.id for p in pool.without_profile] == [no_intake.id]
    today = matching_pool.branch_today(tenants["rotterdam"])
    assert (today - pool.waiting_since[waiting.id]).days in (20, 21, 22)


def test_a_decline_keeps_the_mentees_place_in_the_queue(
    pool_factory,
    rotterdam,
    db,
) -> None:
    mentee = pool_factory.mentee("rotterdam", "Amina", weeks=10)
    mentor = pool_factory.mentor("rotterdam", "Jan")
    duo = lifecycle.propose(mentee, mentor)
    # The first meeting took place when proposed (the same local day whatever the hour);
    # the mentor said no through their link.
    meeting = first_meeting.MeetingPlan(at=duo.proposed_at, place="Office")
    first_meeting.plan(duo, meeting, by=None, tenant=rotterdam)
    first_meeting.decide(duo, "mentor", False, tenant=rotterdam, by_person=mentor)
    assert duo.state == duo_states.STOPPED
    pool = matching_pool.load_pool(rotterdam)
    assert mentee.state == person_states.ELIGIBLE
    waited = matching_pool.branch_today(rotterdam) - pool.waiting_since[mentee.id]
    assert waited.days >= 69
    assert (mentee.id, mentor.id) in pool.declined
    run = matching_session.run_session(matching_session.start_session(rotterdam), rotterdam, pool)
    assert run.suggestion.pairs == ()
    (unmatched,) = run.suggestion.unmatched_mentees
    assert unmatched.code == "all_excluded_or_declined"


def test_the_pool_reads_what_the_people_and_duos_capabilities_say(
    pool_factory, rotterdam, db
) -> None:
    """The pool reads profiles and duo facts in its own queries: they must say the same."""
    from duo.people.profiles import profiles_for

    mentee = pool_factory.mentee("rotterdam", "Amina", weeks=10, help_questions=["cv"])
    mentor = pool_factory.mentor("rotterdam", "Jan", help_questions=["cv", "network"])
    busy_mentor = pool_factory.mentor("rotterdam", "Piet")
    other = pool_factory.mentee("rotterdam", "Omar", weeks=2)
    duo = lifecycle.propose(mentee, mentor)
    meeting = first_meeting.MeetingPlan(at=duo.proposed_at, place="Office")
    first_meeting.plan(duo, meeting, by=None, tenant=rotterdam)
    first_meeting.decide(duo, "mentor", False, tenant=rotterdam, by_person=mentor)
    lifecycle.propose(other, busy_mentor)
    busy, declined = matching_pool.duo_facts()
    assert busy == lifecycle.busy_mentor_ids() == {busy_mentor.id}
    assert declined == lifecycle.declined_pairs() == {(mentee.id, mentor.id)}
    pool = matching_pool.load_pool(rotterdam)
    read = profiles_for([mentee.id, mentor.id], rotterdam.timezone)
    e, m = pool.mentee_profiles[mentee.id], pool.mentor_profiles[mentor.id]
    for profile, raw in ((e, read[mentee.id]), (m, read[mentor.id])):
        assert dict(profile.languages) == dict(raw.languages)
        assert profile.availability == raw.availability
        assert profile.interests == raw.interests
        assert profile.digital_skills == raw.digital_skills
        assert profile.postcode == raw.postcode
    assert e.help_questions == read[mentee.id].help_questions == {"cv"}
    assert m.expertise == read[mentor.id].expertise == {"cv", "network"}
    assert m.sectors == read[mentor.id].sectors


def test_settings_come_from_the_branch_config(tenants) -> None:
    settings = matching_pool.Settings.of(tenants["rotterdam"])
    assert settings.working_languages == ("nl", "en")
    assert settings.weights["sector"] == 30
    assert settings.waiting_bonus_per_week == 0.5
    assert settings.max_waiting_bonus == 15
    assert matching_pool.Settings.of(tenants["lyon"]).working_languages == ("fr",)


def test_the_longest_wait_gets_the_scarce_mentor(pool_factory, rotterdam) -> None:
    fresh = pool_factory.mentee("rotterdam", "Fresh", weeks=0, interests=["chess"])
    patient = pool_factory.mentee("rotterdam", "Patient", weeks=30, interests=["football"])
    mentor = pool_factory.mentor("rotterdam", "Jan", interests=["chess"])
    run = matching_session.run_session(matching_session.start_session(rotterdam), rotterdam)
    # A shared interest alone would give Jan to Fresh (10 points); 30 weeks of waiting
    # (0.5 a week, at most 15) weigh more.
    (pair,) = run.suggestion.pairs
    assert (pair.mentee_id, pair.mentor_id) == (patient.id, mentor.id)
    assert [u.person_id for u in run.suggestion.unmatched_mentees] == [fresh.id]
    assert run.suggestion.alternatives[fresh.id][0].mentor_id == mentor.id


def test_locks_are_kept_and_the_rest_is_reoptimised(pool_factory, rotterdam, db) -> None:
    amina = pool_factory.mentee("rotterdam", "Amina", target_sector="it")
    omar = pool_factory.mentee("rotterdam", "Omar", target_sector="retail")
    jan = pool_factory.mentor("rotterdam", "Jan", sectors=["it"])
    piet = pool_factory.mentor("rotterdam", "Piet", sectors=["retail"])
    session = matching_session.start_session(rotterdam)
    pairs = {
        (p.mentee_id, p.mentor_id)
        for p in matching_session.run_session(session, rotterdam).suggestion.pairs
    }
    assert pairs == {(amina.id, jan.id), (omar.id, piet.id)}
    pool = matching_pool.load_pool(rotterdam)
    settings = matching_pool.Settings.of(rotterdam)
    decisions.add_constraint(session, LOCK, (amina.id, piet.id), pool, settings)
    suggestion = matching_session.run_session(session, rotterdam).suggestion
    assert {(p.mentee_id, p.mentor_id, p.locked) for p in suggestion.pairs} == {
        (amina.id, piet.id, True),
        (omar.id, jan.id, False),
    }
    # Locking another pair with Amina replaces her lock, audited; an exclusion lifts a lock.
    decisions.add_constraint(session, LOCK, (amina.id, jan.id), pool, settings)
    decisions.add_constraint(session, EXCLUDE, (amina.id, jan.id), pool, settings)
    rows = (
        db.session.execute(
            select(MatchingConstraint).order_by(MatchingConstraint.at, MatchingConstraint.kind)
        )
        .scalars()
        .all()
    )
    assert [(c.kind, c.removed_at is None) for c in rows] == [
        (LOCK, False),
        (LOCK, False),
        (EXCLUDE, True),
    ]
    suggestion = matching_session.run_session(session, rotterdam).suggestion
    assert (amina.id, jan.id) not in {(p.mentee_id, p.mentor_id) for p in suggestion.pairs}


def test_a_lock_must_be_a_possible_pair(pool_factory, rotterdam) -> None:
    amina = pool_factory.mentee("rotterdam", "Amina", languages={"en": "B1"})
    jan = pool_factory.mentor("rotterdam", "Jan", languages={"nl": "native"})
    kees = pool_factory.mentor("rotterdam", "Kees", trained=False)
    session = matching_session.start_session(rotterdam)
    pool = matching_pool.load_pool(rotterdam)
    settings = matching_pool.Settings.of(rotterdam)
    with pytest.raises(matching_pool.MatchingError) as excinfo:
        decisions.add_constraint(session, LOCK, (amina.id, jan.id), pool, settings)
    assert "working language" in excinfo.value.problems[0]
    with pytest.raises(matching_pool.MatchingError) as excinfo:
        decisions.add_constraint(session, LOCK, (amina.id, kees.id), pool, settings)
    assert "training" in excinfo.value.problems[0]
    # Excluding is always possible for people in the pool.
    decisions.add_constraint(session, EXCLUDE, (amina.id, jan.id), pool, settings)


def test_accept_is_all_or_nothing(pool_factory, rotterdam, db, create_user) -> None:
    amina = pool_factory.mentee("rotterdam", "Amina")
    omar = pool_factory.mentee("rotterdam", "Omar")
    jan = pool_factory.mentor("rotterdam", "Jan")
    piet = pool_factory.mentor("rotterdam", "Piet")
    user = create_user(branches=["rotterdam"])
    session = matching_session.start_session(rotterdam, by=user)
    decisions.add_constraint(
        session,
        EXCLUDE,
        (omar.id, piet.id),
        matching_pool.load_pool(rotterdam),
        matching_pool.Settings.of(rotterdam),
    )
    with pytest.raises(matching_pool.MatchingError) as excinfo:
        decisions.accept(session, [(amina.id, jan.id), (omar.id, piet.id)], rotterdam, by=user)
    assert excinfo.value.problems == [
        f"{omar.full_name} and {piet.full_name}: A coordinator excluded this pair"
    ]
    assert _duo_count(db) == 0
    assert amina.state == person_states.ELIGIBLE
    with pytest.raises(matching_pool.MatchingError):  # the same mentor twice
        decisions.accept(session, [(amina.id, jan.id), (omar.id, jan.id)], rotterdam, by=user)
    assert _duo_count(db) == 0

    duos = decisions.accept(
        session,
        [(amina.id, jan.id), (omar.id, piet.id)][:1],
        rotterdam,
        by=user,
        suggested=[(amina.id, jan.id)],
    )
    (duo,) = duos
    assert duo.matching_session_id == session.id
    assert duo.history[0].details["suggested"] is True
    assert amina.state == jan.state == person_states.MATCHED
    pool = matching_pool.load_pool(rotterdam)
    assert amina.id not in pool.people and jan.id not in pool.people


def test_a_stale_suggestion_is_refused(pool_factory, rotterdam, db) -> None:
    amina = pool_factory.mentee("rotterdam", "Amina")
    jan = pool_factory.mentor("rotterdam", "Jan")
    piet = pool_factory.mentor("rotterdam", "Piet")
    session = matching_session.start_session(rotterdam)
    decisions.accept(session, [(amina.id, jan.id)], rotterdam)  # someone else, a minute ago
    with pytest.raises(matching_pool.MatchingError) as excinfo:
        decisions.accept(session, [(amina.id, piet.id)], rotterdam)
    assert "no longer waiting" in excinfo.value.problems[0]
    assert _duo_count(db) == 1


def test_a_lock_of_someone_else_blocks_acceptance(pool_factory, rotterdam, db) -> None:
    amina = pool_factory.mentee("rotterdam", "Amina")
    jan = pool_factory.mentor("rotterdam", "Jan")
    piet = pool_factory.mentor("rotterdam", "Piet")
    session = matching_session.start_session(rotterdam)
    decisions.add_constraint(
        session,
        LOCK,
        (amina.id, jan.id),
        matching_pool.load_pool(rotterdam),
        matching_pool.Settings.of(rotterdam),
    )
    with pytest.raises(matching_pool.MatchingError) as excinfo:
        decisions.accept(session, [(amina.id, piet.id)], rotterdam)
    assert "locked with" in excinfo.value.problems[0]
    assert _duo_count(db) == 0


def test_people_of_another_branch_cannot_be_accepted(
    pool_factory,
    in_tenant,
    tenants,
    db,
) -> None:
    awa = pool_factory.mentee("lyon", "Awa", languages=FRENCH)
    claire = pool_factory.mentor("lyon", "Claire", languages=FRENCH)
    pool_factory.mentor("rotterdam", "Jan")
    with in_tenant("rotterdam"):
        session = matching_session.start_session(tenants["rotterdam"])
        with pytest.raises(matching_pool.MatchingError) as excinfo:
            decisions.accept(session, [(awa.id, claire.id)], tenants["rotterdam"])
        assert excinfo.value.problems == [
            "This pair names someone who is not in this branch's pool."
        ]
        assert "Awa" not in " ".join(excinfo.value.problems)
    with in_tenant("lyon"):
        assert _duo_count(db) == 0
        assert awa.state == person_states.ELIGIBLE


def test_one_open_session_per_branch(rotterdam, create_user) -> None:
    first = matching_session.start_session(rotterdam)
    assert matching_session.start_session(rotterdam) is first
    matching_session.close_session(first, by=create_user(branches=["rotterdam"]))
    with pytest.raises(matching_pool.MatchingError):
        matching_session.close_session(first)
    second = matching_session.start_session(rotterdam)
    assert second.id != first.id
    with pytest.raises(matching_pool.MatchingError):
        decisions.accept(first, [], rotterdam)


def test_the_waiting_summary_counts_and_finds_the_longest_wait(pool_factory, rotterdam) -> None:
    pool_factory.mentee("rotterdam", "Amina", weeks=2)
    pool_factory.mentee("rotterdam", "Omar", weeks=9)
    pool_factory.mentee("lyon", "Awa", weeks=30, languages=FRENCH)
    count, oldest = matching_pool.waiting_summary()
    assert count == 2
    waited = matching_pool.branch_today(rotterdam) - matching_pool.local_date(oldest, rotterdam)
    assert waited // dt.timedelta(weeks=1) == 9


def test_the_waiting_summary_comes_with_the_counts_from_one_index(
    pool_factory, rotterdam, db
) -> None:
    """The dashboard asks on every visit: the longest wait comes with the branch's counts
    by role and state, in their one statement, read from ``ix_people_tenant_role_waiting``
    alone, never from each waiting mentee's history (issue 12: at 700 waiting mentees
    those look-ups were a third of the page). On the plan."""
    from flask import current_app

    from duo.people import listing
    from support import query_plan, sent_sql

    for n in range(5):
        pool_factory.mentee("rotterdam", f"Mentee{n}", weeks=n)
    connection = db.session.connection()
    with sent_sql(connection) as sent, current_app.test_request_context():  # a page
        count, oldest = matching_pool.waiting_summary()
        assert listing.count_of("mentee", person_states.ELIGIBLE) == 5  # the counts once
    assert count == 5 and oldest is not None
    (sql, values), *more = [(q, v) for q, v in sent if q.lstrip().upper().startswith("SELECT")]
    assert more == [] and "person_state_changes" not in sql
    plan = query_plan(connection, sql, values)
    if connection.dialect.name == "postgresql":
        assert any("Index Only Scan using ix_people_tenant_role_waiting" in p for p in plan), plan
    else:
        assert any("COVERING INDEX ix_people_tenant_role_waiting" in p for p in plan), plan


def test_a_race_the_checks_could_not_see_is_refused_too(pool_factory, rotterdam, db) -> None:
    amina = pool_factory.mentee("rotterdam", "Amina")
    jan = pool_factory.mentor("rotterdam", "Jan")
    piet = pool_factory.mentor("rotterdam", "Piet")
    # Another request has just written Amina's duo but not yet moved her out of the pool.
    db.session.add(Duo(mentee_id=amina.id, mentor_id=piet.id))
    db.session.flush()
    session = matching_session.start_session(rotterdam)
    with pytest.raises(matching_pool.MatchingError) as excinfo:
        decisions.accept(session, [(amina.id, jan.id)], rotterdam)
    assert "already in a duo" in excinfo.value.problems[0]


def test_the_pool_builds_what_the_people_entities_and_their_profiles_say(
    pool_factory, rotterdam, db
) -> None:
    """A/B check of the pool's light read (columns, JSON facts as one array) against the
    people capability's reading of whole entities: same people, same matching profiles,
    hence the same suggestion."""
    from duo.people.models import Person
    from duo.people.profiles import profiles_for

    pool_factory.mentee(
        "rotterdam",
        "Amina",
        weeks=10,
        help_questions=["cv", " Network "],
        interests=["Chess", " cooking", ""],
        availability=["tue-evening", "sat-morning"],
        personality=["Calm"],
        postcode="3011 ab",
        target_sector="it",
        digital_skills=1,
    )
    pool_factory.mentee("rotterdam", "Samir", weeks=3, languages={"NL": "b2", "en": "C1"})
    pool_factory.mentee("rotterdam", "Noor", weeks=1, languages={})
    pool_factory.mentee("rotterdam", "Omar", weeks=2, languages=None)
    pool_factory.mentor(
        "rotterdam",
        "Jan",
        help_questions=["cv"],
        sectors=["it", "care"],
        interests=["chess"],
        availability=["tue-evening"],
        postcode="3012",
    )
    pool_factory.mentor("rotterdam", "Kees", trained=False, languages={"nl": "native"})
    pool_factory.mentor("rotterdam", "Piet", languages=None)
    pool = matching_pool.load_pool(rotterdam)
    entities = {p.id: p for p in db.session.execute(select(Person)).scalars()}
    assert set(pool.people) == set(entities)
    for person_id, person in pool.people.items():
        entity = entities[person_id]
        assert (person.role, person.first_name, person.last_name, person.full_name) == (
            entity.role,
            entity.first_name,
            entity.last_name,
            entity.full_name,
        )
    read = profiles_for(pool.people, rotterdam.timezone)
    expected_mentees = {}
    for person in pool.mentees:
        if person.id in pool.mentee_profiles:
            since = pool.waiting_since[person.id]
            built = pool_profiles.mentee_profile(person, read[person.id], since, rotterdam)
            expected_mentees[person.id] = built
    expected_mentors = {
        m.id: pool_profiles.mentor_profile(
            m, read[m.id], trained=p.trained, free=p.free, tenant=rotterdam
        )
        for m in pool.mentors
        if (p := pool.mentor_profiles.get(m.id)) is not None
    }
    assert {p.first_name for p in pool.without_profile} == {"Noor", "Omar", "Piet"}
    for got, want in (
        (pool.mentee_profiles, expected_mentees),
        (pool.mentor_profiles, expected_mentors),
    ):
        assert got.keys() == want.keys()
        for person_id, profile in got.items():
            assert vars(profile) == vars(want[person_id])


def test_a_profile_is_made_once_and_made_anew_when_what_it_is_made_of_changes(
    pool_factory, rotterdam, db
) -> None:
    """The pool's profiles are remembered by the values of their row (issue 12): a second
    visit reuses them, an edited intake or a mentor now in a duo makes a new one."""
    from duo.people.models import Profile

    amina = pool_factory.mentee("rotterdam", "Amina", weeks=3, postcode="3011")
    jan = pool_factory.mentor("rotterdam", "Jan")
    first = matching_pool.load_pool(rotterdam)
    again = matching_pool.load_pool(rotterdam)
    assert again.mentee_profiles[amina.id] is first.mentee_profiles[amina.id]
    assert again.mentor_profiles[jan.id] is first.mentor_profiles[jan.id]

    profile = db.session.execute(select(Profile).where(Profile.person_id == amina.id)).scalar_one()
    profile.postcode = "1000"
    profile.languages = {"en": "B2"}
    db.session.add(Duo(mentee_id=pool_factory.mentee("rotterdam", "Awa").id, mentor_id=jan.id))
    db.session.flush()
    edited = matching_pool.load_pool(rotterdam)
    assert edited.mentee_profiles[amina.id].postcode == "1000"
    assert dict(edited.mentee_profiles[amina.id].languages) == {"en": "B2"}
    assert not edited.mentor_profiles[jan.id].free
    assert first.mentor_profiles[jan.id].free  # what was handed out is never changed

    profile.languages = {}
    db.session.flush()
    assert amina.id not in matching_pool.load_pool(rotterdam).mentee_profiles
