"""Passwords: argon2id hashes (argon2-cffi's defaults follow RFC 9106) and what we accept.

The rules follow NIST SP 800-63B and OWASP ASVS 2.1: at least 8 and up to 128 characters,
any characters (spaces too), no composition rules, and no password that is known to be
common. "Common" is a real list: the 30,000 most frequent passwords of public breaches
that the ``zxcvbn`` package ships, read case-insensitively, plus zxcvbn's estimate that
refuses what is guessed in under 10^6 tries (``aaaaaaaaaa``, ``1234567890``, a keyboard
walk, the user's own e-mail address or name).
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

_hasher = PasswordHasher(type=Type.ID)
MIN_LENGTH = 8
MAX_LENGTH = 128
#: zxcvbn's score: 0 (too guessable) to 4; 2 means more than 10^6 guesses are needed.
MIN_SCORE = 2
#: zxcvbn is quadratic on long inputs; what follows the first 100 characters only helps.
_SCORED_PREFIX = 100


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The breach corpus' most frequent passwords (lower case), from the zxcvbn package."""
    # zxcvbn and its lists are large: loaded when a password is first checked, not at start
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` may not be used (translated), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Choose a password of at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Choose a password of at most %(n)s characters.", n=MAX_LENGTH)
    if password.lower() in common_passwords() or password.strip().lower() in common_passwords():
        return _("This password is one of the most common ones; choose another.")
    inputs = [v for v in (email, email.partition("@")[0], *name.split()) if v]
    from zxcvbn import zxcvbn

    if zxcvbn(password[:_SCORED_PREFIX], user_inputs=inputs)["score"] < MIN_SCORE:
        return _("This password is too easy to guess; a few unrelated words make a good one.")
    return None
