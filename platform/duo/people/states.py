"""A candidate's pipeline: the states and the moves allowed between them.

The eight steps of the method are the spine: registered for an information session,
attended it, had the intake interview, then an eligibility decision; mentors go through
training; both wait in the pool for a matching session, then live a duo. ``withdrawn``
is reachable from everywhere (a candidate may stop at any time) and can be undone.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REGISTERED = "registered"
ATTENDED = "attended_info_session"
INTAKE_DONE = "intake_done"
ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_REVIEW = "needs_review"
IN_TRAINING = "in_training"
TRAINED = "trained"
MATCHED = "matched"
IN_DUO = "in_duo"
ALUMNI = "alumni"
WITHDRAWN = "withdrawn"

LABELS = {
    REGISTERED: _l("registered"),
    ATTENDED: _l("attended an information session"),
    INTAKE_DONE: _l("intake done"),
    ELIGIBLE: _l("eligible"),
    NOT_ELIGIBLE: _l("not eligible"),
    NEEDS_REVIEW: _l("needs review"),
    IN_TRAINING: _l("in training"),
    TRAINED: _l("trained"),
    MATCHED: _l("matched (duo proposed)"),
    IN_DUO: _l("in a duo"),
    ALUMNI: _l("duo completed"),
    WITHDRAWN: _l("withdrawn"),
}

STATES = tuple(LABELS)

_DECISIONS = {ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW}

#: state -> states reachable from it (both audiences); mentor/mentee specifics below.
ALLOWED: dict[str, set[str]] = {
    REGISTERED: {ATTENDED, INTAKE_DONE},
    ATTENDED: {INTAKE_DONE, REGISTERED},
    INTAKE_DONE: set(_DECISIONS),
    NEEDS_REVIEW: {ELIGIBLE, NOT_ELIGIBLE, INTAKE_DONE},
    NOT_ELIGIBLE: {ELIGIBLE, NEEDS_REVIEW, INTAKE_DONE},
    ELIGIBLE: {NOT_ELIGIBLE, NEEDS_REVIEW, IN_TRAINING, MATCHED, INTAKE_DONE},
    IN_TRAINING: {TRAINED, ELIGIBLE},
    TRAINED: {MATCHED, IN_TRAINING},
    MATCHED: {IN_DUO, ELIGIBLE, TRAINED},
    IN_DUO: {ALUMNI, ELIGIBLE, TRAINED},
    ALUMNI: {TRAINED, MATCHED},
    WITHDRAWN: set(),
}

#: Moves only one audience can make.
MENTOR_ONLY = {
    (ELIGIBLE, IN_TRAINING),
    (IN_TRAINING, TRAINED),
    (TRAINED, MATCHED),
    (ALUMNI, TRAINED),
    (MATCHED, TRAINED),
    (IN_DUO, TRAINED),
    (TRAINED, IN_TRAINING),
    (IN_TRAINING, ELIGIBLE),
}
MENTEE_ONLY = {
    (ELIGIBLE, MATCHED),
    (MATCHED, ELIGIBLE),
    (IN_DUO, ELIGIBLE),
    (IN_DUO, ALUMNI),
    (ALUMNI, MATCHED),
}


def allowed(role: str, current: str, target: str) -> bool:
    if target == WITHDRAWN:
        return current != WITHDRAWN
    if current == WITHDRAWN:
        return target in {REGISTERED, ATTENDED, INTAKE_DONE}
    if target not in ALLOWED.get(current, set()):
        return False
    if role == "mentee" and (current, target) in MENTOR_ONLY:
        return False
    return not (role == "mentor" and (current, target) in MENTEE_ONLY)


def starts_a_wait(current: str | None, target: str) -> bool:
    """Whether the move starts the wait for a mentor (or a training) that the pages count.

    Becoming eligible does, except back from a duo that did not start: a declined or
    stopped proposal keeps the mentee's place in the queue, as the matching rule promises.
    """
    return target == ELIGIBLE and current != MATCHED


def next_states(role: str, current: str) -> list[str]:
    return [s for s in STATES if s != current and allowed(role, current, s)]
