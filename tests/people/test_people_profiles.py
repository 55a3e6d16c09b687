"""The vocabulary and what other capabilities read: profile_of / profiles_for / facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import update

from duo.core.vocab.levels import CEFR_LEVELS, normalise_level
from duo.people import states, vocab
from duo.people.models import Profile, StateChange
from duo.people.pipeline import transition
from duo.people.profiles import (
    CandidateProfile,
    eligibility_facts,
    profile_of,
    profiles_for,
)
from support import ADULT_BIRTH_YEAR, days_from_today


def test_vocabulary_keys_match_matching_and_spec() -> None:
    from duo.matching.explain import HELP_LABELS, SECTOR_LABELS

    assert tuple(SECTOR_LABELS) == vocab.SECTORS
    assert tuple(HELP_LABELS) == vocab.HELP_QUESTIONS
    assert len(vocab.SLOTS) == 21 and "tue-evening" in vocab.SLOTS
    assert set(vocab.LEVEL_LABELS) == set(CEFR_LEVELS)
    assert set(vocab.MIGRATION_BACKGROUND) >= {
        "non_eu_nationality",
        "parent_born_outside_eu",
        "grandparent_born_outside_eu",
    }
    assert all(vocab.is_language_code(code) for code in vocab.LANGUAGES)


def test_tags_are_kept_as_typed_unique_and_trimmed() -> None:
    assert vocab.parse_tags(" Cooking, football;  Music\nCOOKING ,, ") == [
        "Cooking",
        "football",
        "Music",
    ]
    # Issue 14: a person's words keep their case.
    assert vocab.parse_tags("chef de projet IT, SAP") == ["chef de projet IT", "SAP"]
    assert vocab.parse_tags(None) == []
    assert normalise_level("b2") == "B2"
    assert normalise_level("Native") == "native"
    assert normalise_level("fluent") is None


def _profile(db, person, **values):
    profile = Profile(person_id=person.id, **values)
    db.session.add(profile)
    db.session.flush()
    return profile


def test_profiles_for_reads_many_people_in_constant_queries(
    db, in_tenant, create_person, count_queries
) -> None:
    mentee = create_person("antwerp", role="mentee", state=states.INTAKE_DONE)
    mentor = create_person("antwerp", role="mentor", state=states.INTAKE_DONE)
    bare = create_person("antwerp", role="mentee")
    other_branch = create_person("ghent", role="mentee")
    with in_tenant("antwerp"):
        _profile(
            db,
            mentee,
            languages={"nl": "B2", "ar": "native"},
            availability=["tue-evening"],
            help_questions=["cv"],
            interests=["football"],
            digital_skills=2,
            personality=["calm"],
            postcode="2000",
            target_sector="it",
        )
        _profile(
            db,
            mentor,
            languages={"nl": "native"},
            sectors=["it", "finance"],
            help_questions=["network"],
            years_experience=30,
        )
        transition(mentee, states.ELIGIBLE)
        with count_queries() as q:
            found = profiles_for(
                [mentee.id, mentor.id, bare.id, other_branch.id], timezone="Europe/Brussels"
            )
        assert q.count == 2
    assert set(found) == {mentee.id, mentor.id, bare.id}  # other branch: absent
    p = found[mentee.id]
    assert isinstance(p, CandidateProfile)
    assert dict(p.languages) == {"nl": "B2", "ar": "native"}
    assert p.availability == {"tue-evening"} and p.help_questions == {"cv"}
    assert p.digital_skills == 2 and p.personality == {"calm"} and p.postcode == "2000"
    assert p.target_sector == "it" and p.waiting_since is not None
    m = found[mentor.id]
    assert m.sectors == {"it", "finance"} and m.expertise == {"network"}
    assert m.years_experience == 30 and m.waiting_since is None  # not trained yet
    empty = found[bare.id]
    assert empty.languages == {} and empty.digital_skills == 0 and empty.waiting_since is None


def test_waiting_since_is_the_local_day_of_the_last_entry_into_the_pool(
    db, in_tenant, create_person
) -> None:
    mentee = create_person("brussels", role="mentee", state=states.NEEDS_REVIEW)
    with in_tenant("brussels"):
        change = transition(mentee, states.ELIGIBLE)
        # 23:30 UTC is already the next day in Brussels, in summer as in winter.
        day = days_from_today(-10)
        db.session.execute(
            update(StateChange)
            .where(StateChange.id == change.id)
            .values(at=datetime.combine(day, time(23, 30), tzinfo=UTC))
        )
        db.session.expire_all()
        assert profile_of(mentee, timezone="Europe/Brussels").waiting_since == day + timedelta(1)
        assert profile_of(mentee, timezone="UTC").waiting_since == day


def test_mentor_waits_from_the_day_they_are_trained(db, in_tenant, create_person) -> None:
    mentor = create_person("brussels", role="mentor", state=states.ELIGIBLE)
    with in_tenant("brussels"):
        transition(mentor, states.IN_TRAINING)
        assert profile_of(mentor).waiting_since is None
        transition(mentor, states.TRAINED)
        assert profile_of(mentor).waiting_since is not None


def test_eligibility_facts_fall_back_to_the_year_of_birth(db, in_tenant, create_person) -> None:
    person = create_person("lyon", role="mentee", birth_year=2001)
    assert eligibility_facts(person, None) == {"birth_year": 2001}
    with in_tenant("lyon"):
        profile = _profile(
            db,
            person,
            birth_date=date(ADULT_BIRTH_YEAR, 6, 2),
            languages={"fr": "C1"},
            other_barriers=True,
        )
    facts = eligibility_facts(person, profile)
    assert facts["birth_date"] == date(ADULT_BIRTH_YEAR, 6, 2)
    assert facts["birth_year"] == ADULT_BIRTH_YEAR
    assert facts["other_barriers"] is True and facts["migration_background"] is None
    assert facts["languages"] == {"fr": "C1"}
