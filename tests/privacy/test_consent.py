"""Consent is recorded with its text version and time, and can be withdrawn."""

from __future__ import annotations

from duo.privacy.consent import PRIVACY_NOTICE, TEXT_VERSIONS, has_consent, record, withdraw


def test_record_and_withdraw(db, create_person, in_tenant) -> None:
    person = create_person("ghent")
    with in_tenant("ghent"):
        consent = record(person, PRIVACY_NOTICE, locale="nl")
        assert consent.text_version == TEXT_VERSIONS[PRIVACY_NOTICE]
        assert consent.given_at is not None
        assert has_consent(person, PRIVACY_NOTICE)
        assert withdraw(person, PRIVACY_NOTICE) == 1
        assert not has_consent(person, PRIVACY_NOTICE)


def test_consent_of_another_branch_is_invisible(db, create_person, in_tenant) -> None:
    person = create_person("ghent")
    with in_tenant("ghent"):
        record(person, PRIVACY_NOTICE, locale="nl")
    with in_tenant("antwerp"):
        assert not has_consent(person, PRIVACY_NOTICE)
