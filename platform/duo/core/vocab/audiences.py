"""Who is who in the programme, and whom a session or a workshop is for.

A person is a mentor or a mentee (their *role*; a country's eligibility rules exist for
both). An information session is for mentors, mentees or both; a training module or a
recurring workshop is for mentors, mentees or duos (both sides of a duo together).
"""

from __future__ import annotations

#: A person's role in the programme (also the two eligibility audiences).
MENTOR = "mentor"
MENTEE = "mentee"
ROLES: tuple[str, ...] = (MENTOR, MENTEE)

#: Groups of people, as audiences.
MENTORS = "mentors"
MENTEES = "mentees"
#: An information session open to candidates of both roles.
BOTH = "both"
#: A training module or workshop for mentors and mentees together.
DUOS = "duos"

#: Whom an information session is for.
SESSION_AUDIENCES: tuple[str, ...] = (MENTORS, MENTEES, BOTH)
#: Whom a training module or recurring workshop is for.
MODULE_AUDIENCES: tuple[str, ...] = (MENTORS, MENTEES, DUOS)


def group_of(role: str) -> str:
    """The audience of a role's own group: "mentor" -> "mentors", "mentee" -> "mentees"."""
    return MENTORS if role == MENTOR else MENTEES
