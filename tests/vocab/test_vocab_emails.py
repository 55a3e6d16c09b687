"""One e-mail check (email-validator, no DNS) for forms, API, imports, config and accounts."""

from __future__ import annotations

import pytest

from duo.core.emails import MAX_EMAIL_LENGTH, is_email


@pytest.mark.parametrize(
    "address", ["amina@example.org", "Zoë.Peeters@example.be", "a+duo@sub.example.nl"]
)
def test_real_addresses_pass(address: str) -> None:
    assert is_email(address)


@pytest.mark.parametrize(
    "address",
    ["", "amina", "amina@", "@example.org", "a@b", "a b@example.org", "x@duo.test", None, 42],
)
def test_bad_addresses_fail(address: object) -> None:
    assert not is_email(address)


def test_too_long_fails() -> None:
    assert not is_email("a" * MAX_EMAIL_LENGTH + "@example.org")
