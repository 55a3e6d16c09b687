"""Personal links: how people without an account (mentors, mentees) act on the platform.

A link is a long random token (``secrets.token_urlsafe``, 256 bits) sent by e-mail and
stored only as its SHA-256 hash, bound to one person, one object (a duo, an outcome
ask...) and one purpose, expiring after the branch's ``duos.link_valid_days`` and revocable
by the coordinator, who can also send a fresh one (which revokes the older ones of the
same person, object and purpose). Some purposes are *single-use* (an outcome question):
once acted upon, the link reads as used. The "my duo" link is not: a person uses it for
months (decision, signature, weekly check-ins); what it does is tied to its object's
state instead (a weekly check-in names its week, see :mod:`duo.duos.accompaniment`).

The registration links of information sessions (:mod:`duo.sessions.tokens`) stay signed
and unstored: they are bound to a registration that ends with the session, need no
revocation and carry nothing a stolen link could change beyond cancelling. Links here act
for a person over months, so they must be revocable and expire: hence stored.

Looking a token up never raises and never tells apart "wrong" from "another branch's":
both are :data:`WRONG`. A found link that cannot be used says why (:data:`EXPIRED`,
:data:`REVOKED`, :data:`USED`), so the page can say it in the person's language.
"""

from duo.core.links.tokens import (
    EXPIRED,
    OK,
    REVOKED,
    USED,
    WRONG,
    Lookup,
    issue,
    live_links,
    lookup,
    mark_used,
    opened,
    revoke,
    revoke_all,
)

__all__ = [
    "EXPIRED",
    "OK",
    "REVOKED",
    "USED",
    "WRONG",
    "Lookup",
    "issue",
    "live_links",
    "lookup",
    "mark_used",
    "opened",
    "revoke",
    "revoke_all",
]
