"""A duo's states and the moves allowed between them.

proposed -> first_meeting -> confirmed -> active -> ended -> evaluated, and *stopped* (with a
reason) from any state before the end. Read as the method's steps:

``proposed``       the coordinator formed the pair at a matching session; the first meeting
                   is still to plan.
``first_meeting``  the first meeting is planned or held; mentor and mentee each decide,
                   independently, whether to go on (a "no" stops the duo, recording who
                   declined: the pair is never suggested again).
``confirmed``      both said yes; the mentoring agreement and charter are to sign.
``active``         the agreement is signed: the official start, the accompaniment runs until
                   ``ends_on`` (start + the branch's ``programme.duration_months``).
``ended``          the accompaniment is over; the evaluation is to do.
``evaluated``      done.
``stopped``        ended early, or declined at the first meeting.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PROPOSED = "proposed"
FIRST_MEETING = "first_meeting"
CONFIRMED = "confirmed"
ACTIVE = "active"
ENDED = "ended"
EVALUATED = "evaluated"
STOPPED = "stopped"

LABELS = {
    PROPOSED: _l("proposed"),
    FIRST_MEETING: _l("first meeting"),
    CONFIRMED: _l("confirmed"),
    ACTIVE: _l("active"),
    ENDED: _l("ended"),
    EVALUATED: _l("evaluated"),
    STOPPED: _l("stopped"),
}
STATES = tuple(LABELS)

#: Duos that hold their mentor and mentee: one mentee at a time, one mentor at a time.
OPEN = (PROPOSED, FIRST_MEETING, CONFIRMED, ACTIVE)
#: Before the agreement is signed both people are ``matched``; from then on ``in_duo``.
NOT_STARTED = (PROPOSED, FIRST_MEETING, CONFIRMED)

ALLOWED: dict[str, tuple[str, ...]] = {
    PROPOSED: (FIRST_MEETING, STOPPED),
    FIRST_MEETING: (CONFIRMED, STOPPED),
    CONFIRMED: (ACTIVE, STOPPED),
    ACTIVE: (ENDED, STOPPED),
    ENDED: (EVALUATED,),
    EVALUATED: (),
    STOPPED: (),
}

#: What a coordinator does next for a duo in each state (the duo list's "next step").
NEXT_STEP = {
    PROPOSED: _l("first meeting to plan"),
    FIRST_MEETING: _l("decision pending"),
    CONFIRMED: _l("agreement to sign"),
    ACTIVE: _l("accompaniment running"),
    ENDED: _l("evaluation to do"),
    EVALUATED: _l("nothing: completed"),
    STOPPED: _l("nothing: stopped"),
}

#: The button that makes each move (on the duo page).
ACTIONS = {
    FIRST_MEETING: _l("First meeting planned"),
    CONFIRMED: _l("Both want to go on"),
    ACTIVE: _l("Agreement signed"),
    ENDED: _l("End the accompaniment"),
    EVALUATED: _l("Evaluation done"),
    STOPPED: _l("Stop this duo"),
}

#: Who declined at the first meeting.
DECLINED_BY = {
    "mentor": _l("the mentor"),
    "mentee": _l("the mentee"),
    "both": _l("both"),
}


def allowed(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, ())


def next_states(current: str) -> tuple[str, ...]:
    return ALLOWED.get(current, ())
