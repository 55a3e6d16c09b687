"""The parts people play in a branch's demo story, and which parts a demo of n people gets.

The parts come in a fixed order of priority (:data:`PRIORITY`) so that a small demo
(``people_per_branch=4``) still shows the main steps, a pool mentee and a trained mentor
first; beyond the full story (:data:`FULL_STORY` people), extra people join the pool and
the next information sessions. Pure data: the cast (:mod:`.cast`) draws the people, the
story (:mod:`.story`) makes them live through the platform.
"""

from __future__ import annotations

from duo.people.models import MENTEE, MENTOR

#: Cohort of last year: trained, then a duo that ran six months and ended (mentee alumni).
DUO_ENDED = "duo_ended"
#: This year's training cohort: trained mentors, some now in duos.
TRAINED = "trained"
DUO_ACTIVE = "duo_active"
DUO_PROPOSED = "duo_proposed"
#: The other steps of a duo, so that a coordinator sees every one of them: the first
#: meeting held, the mentor's decision pending; both said yes, the mentor's signature
#: pending; declined by the mentor after the first meeting (both back in the pool);
#: signed, then stopped early (the mentee found a job); and, from two years ago, a duo
#: that ran six months, was evaluated and whose mentee told their situation for a year.
DUO_MEETING = "duo_meeting"
DUO_CONFIRMED = "duo_confirmed"
DUO_DECLINED = "duo_declined"
DUO_STOPPED = "duo_stopped"
DUO_EVALUATED = "duo_evaluated"
#: Mentees eligible and waiting for a mentor, since about 10 weeks, 5 weeks, 1 week.
POOL_EARLY = "pool_early"
POOL_MID = "pool_mid"
POOL_RECENT = "pool_recent"
#: Mentors in the training cycle running now, and one eligible mentor still waiting for it.
IN_TRAINING = "in_training"
WAITING_TRAINING = "waiting_training"
#: Decisions other than "eligible".
NEEDS_REVIEW = "needs_review"
NOT_ELIGIBLE = "not_eligible"
#: Came to the last information session, intake interview still to hold.
ATTENDED = "attended"
#: Registered for last Thursday's session, whose attendance is not recorded yet.
UNRECORDED = "unrecorded"
#: Registered for an information session still to come.
UPCOMING = "upcoming"
#: Attended a session, then found a job and withdrew.
WITHDRAWN = "withdrawn"

PARTS = (
    DUO_ENDED,
    TRAINED,
    DUO_ACTIVE,
    DUO_PROPOSED,
    POOL_EARLY,
    POOL_MID,
    POOL_RECENT,
    IN_TRAINING,
    WAITING_TRAINING,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    ATTENDED,
    UNRECORDED,
    UPCOMING,
    WITHDRAWN,
    DUO_MEETING,
    DUO_CONFIRMED,
    DUO_DECLINED,
    DUO_STOPPED,
    DUO_EVALUATED,
)
DUO_PARTS = (
    DUO_ENDED,
    DUO_ACTIVE,
    DUO_PROPOSED,
    DUO_MEETING,
    DUO_CONFIRMED,
    DUO_DECLINED,
    DUO_STOPPED,
    DUO_EVALUATED,
)

#: The full story of a branch, most telling parts first (a smaller demo keeps a prefix).
PRIORITY: tuple[tuple[str, str], ...] = (
    (TRAINED, MENTOR),
    (POOL_EARLY, MENTEE),
    (UPCOMING, MENTEE),
    (ATTENDED, MENTOR),
    (NEEDS_REVIEW, MENTEE),
    (IN_TRAINING, MENTOR),
    (POOL_MID, MENTEE),
    (TRAINED, MENTOR),
    (NOT_ELIGIBLE, MENTEE),
    (TRAINED, MENTOR),
    (POOL_RECENT, MENTEE),
    (WAITING_TRAINING, MENTOR),
    (DUO_ACTIVE, MENTEE),
    (DUO_ACTIVE, MENTOR),
    (UNRECORDED, MENTEE),
    (TRAINED, MENTOR),
    (POOL_EARLY, MENTEE),
    (DUO_PROPOSED, MENTEE),
    (DUO_PROPOSED, MENTOR),
    (UPCOMING, MENTOR),
    (DUO_ENDED, MENTEE),
    (DUO_ENDED, MENTOR),
    (ATTENDED, MENTEE),
    (TRAINED, MENTOR),
    (POOL_MID, MENTEE),
    (IN_TRAINING, MENTOR),
    (NOT_ELIGIBLE, MENTOR),
    (TRAINED, MENTOR),
    (POOL_RECENT, MENTEE),
    (UPCOMING, MENTEE),
    (NEEDS_REVIEW, MENTOR),
    (TRAINED, MENTOR),
    (POOL_MID, MENTEE),
    (UNRECORDED, MENTEE),
    (WITHDRAWN, MENTEE),
    (POOL_EARLY, MENTEE),
    (DUO_EVALUATED, MENTEE),
    (DUO_EVALUATED, MENTOR),
    (DUO_MEETING, MENTEE),
    (DUO_MEETING, MENTOR),
    (DUO_CONFIRMED, MENTEE),
    (DUO_CONFIRMED, MENTOR),
    (DUO_STOPPED, MENTEE),
    (DUO_STOPPED, MENTOR),
    (DUO_DECLINED, MENTEE),
    (DUO_DECLINED, MENTOR),
)
FULL_STORY = len(PRIORITY)
#: Beyond the full story: more people in the pool and at the next sessions, in turn.
EXTRA: tuple[tuple[str, str], ...] = (
    (POOL_RECENT, MENTEE),
    (TRAINED, MENTOR),
    (UPCOMING, MENTEE),
    (UPCOMING, MENTOR),
    (POOL_MID, MENTEE),
    (TRAINED, MENTOR),
)


def parts_for(n: int) -> list[tuple[str, str]]:
    """The (part, role) of each of ``n`` people, in priority order."""
    n = max(0, n)
    parts = list(PRIORITY[:n])
    while len(parts) < n:
        parts.append(EXTRA[(len(parts) - FULL_STORY) % len(EXTRA)])
    return parts


#: Which information session each part came to (None: one still to come).
SESSION_OF_PART = {
    DUO_ENDED: "last_year",
    TRAINED: "cohort",
    DUO_ACTIVE: "cohort",
    POOL_EARLY: "cohort",
    POOL_MID: "mentees",
    WITHDRAWN: "mentees",
    IN_TRAINING: "mentors",
    POOL_RECENT: "recent",
    WAITING_TRAINING: "recent",
    NEEDS_REVIEW: "recent",
    NOT_ELIGIBLE: "recent",
    ATTENDED: "recent",
    UNRECORDED: "last",
    UPCOMING: None,
    DUO_MEETING: "cohort",
    DUO_CONFIRMED: "cohort",
    DUO_DECLINED: "cohort",
    DUO_STOPPED: "last_year",
    DUO_EVALUATED: "older",
}
#: The duo's mentee came to the mentees' session (she waited for the next matching session).
DUO_PROPOSED_SESSIONS = {MENTEE: "mentees", MENTOR: "cohort"}

#: Which training cycle a mentor's part takes.
CYCLE_OF_PART = {
    DUO_ENDED: "last_year",
    TRAINED: "cohort",
    DUO_ACTIVE: "cohort",
    DUO_PROPOSED: "cohort",
    IN_TRAINING: "current",
    DUO_MEETING: "cohort",
    DUO_CONFIRMED: "cohort",
    DUO_DECLINED: "cohort",
    DUO_STOPPED: "last_year",
    DUO_EVALUATED: "older",
}
#: Parts whose intake interview is not held (yet).
NO_INTAKE = {ATTENDED, UNRECORDED, UPCOMING, WITHDRAWN}
