"""What happens next for a person, and who acts: the "Next step" panel of a person's page.

Every state of the pipeline has an answer, so nobody reads "nothing to do here for now"
while they are in fact waiting for a training or a matching session. The steps up to the
eligibility decision belong to this capability; the later ones (training, matching, the
duo) get their links from the capability that owns them, which registers a provider for
its states in the :data:`ACTIONS` hook (in its ``plugin.py``) — people never imports a
later step.

The sentence for every state is written here (one place for the method's words); a
provider adds the actions (links) for the states it owns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l

from duo.core.hooks import Hook
from duo.people import states
from duo.people.models import MENTOR, Person

#: Who acts next (shown with the step).
COORDINATOR = "coordinator"
CANDIDATE = "candidate"
BOTH = "mentor_and_mentee"
NOBODY = "nobody"

ACTORS = {
    COORDINATOR: _l("You (the coordinator)"),
    CANDIDATE: _l("The candidate"),
    BOTH: _l("The mentor and the mentee"),
    NOBODY: _l("Nobody: the programme is over for this person"),
}


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    primary: bool = True


@dataclass(frozen=True)
class NextStep:
    """A sentence saying what happens next, who acts, and the links that do it."""

    text: str
    actor: str
    actions: tuple[Action, ...] = field(default_factory=tuple)

    @property
    def actor_label(self) -> str:
        return str(ACTORS.get(self.actor, self.actor))


Provider = Callable[[Person], "list[Action]"]


@dataclass(frozen=True)
class StepActions:
    """The links a later step adds for people in one of ``states`` (of ``role``, or both):
    enrol in a training, open the duo. Plugged into :data:`ACTIONS` by that step."""

    states: tuple[str, ...]
    actions: Provider
    role: str | None = None

    def applies_to(self, person: Person) -> bool:
        return person.state in self.states and self.role in (None, person.role)


ACTIONS: Hook[StepActions] = Hook(
    "people.next_step.actions", "Links of later steps for the next step of a person."
)


def next_step(person: Person) -> NextStep:
    """What happens next for ``person`` (never empty), with every plugged-in action."""
    step = _default(person)
    extra = [
        action
        for item in ACTIONS.items()
        if item.applies_to(person)
        for action in item.actions(person)
    ]
    if not extra:
        return step
    return NextStep(step.text, step.actor, (*extra, *step.actions))


def _intake(person: Person, label: object) -> Action:
    return Action(str(label), url_for("people.intake", person_id=person.id))


def _override(person: Person, label: object) -> Action:
    return Action(
        str(label), url_for("people.override_decision", person_id=person.id), primary=False
    )


def _complete_or_decide(person: Person) -> tuple[Action, Action]:
    """While the rules have not decided: the missing answers, or a justified decision."""
    return _intake(person, _l("Complete the intake")), _override(person, _l("Decide yourself"))


def _record_intake(person: Person) -> tuple[Action]:
    return (_intake(person, _l("Record the intake")),)


def _decide_otherwise(person: Person) -> tuple[Action]:
    return (_override(person, _l("Decide otherwise")),)


#: The sentence of each state and who acts; ``(state, role)`` where a role reads another.
_SENTENCES: dict[str | tuple[str, str], tuple[object, str]] = {
    states.REGISTERED: (
        _l(
            "The candidate has signed up for an information session. After it, "
            "plan the intake interview; you may also hold it now."
        ),
        CANDIDATE,
    ),
    states.ATTENDED: (
        _l(
            "Schedule and hold the intake interview: the eligibility rules are "
            "applied when you record it."
        ),
        COORDINATOR,
    ),
    states.INTAKE_DONE: (
        _l("The intake is recorded; take the eligibility decision."),
        COORDINATOR,
    ),
    states.NEEDS_REVIEW: (
        _l(
            "The rules cannot decide alone. Complete the missing answers in the "
            "intake, or decide yourself with a justification."
        ),
        COORDINATOR,
    ),
    states.NOT_ELIGIBLE: (
        _l(
            "Not eligible: tell the candidate and, where useful, point them to "
            "another organisation. You may decide otherwise with a justification."
        ),
        COORDINATOR,
    ),
    (states.ELIGIBLE, MENTOR): (
        _l("Eligible: enrol the mentor in a mentor training."),
        COORDINATOR,
    ),
    states.ELIGIBLE: (
        _l("Eligible: the mentee waits for a matching session to meet a mentor."),
        COORDINATOR,
    ),
    states.IN_TRAINING: (
        _l("The mentor attends the training; record the attendance after each module."),
        CANDIDATE,
    ),
    states.TRAINED: (
        _l("Trained: the mentor waits for a matching session to meet a mentee."),
        COORDINATOR,
    ),
    states.MATCHED: (
        _l(
            "A duo is proposed: plan the first meeting; then mentor and mentee "
            "each decide whether to go on."
        ),
        BOTH,
    ),
    states.IN_DUO: (
        _l(
            "In a duo: mentor and mentee meet every week; follow the duo and "
            "evaluate it at the end."
        ),
        BOTH,
    ),
    (states.ALUMNI, MENTOR): (
        _l("The duo is completed. The mentor may start another duo."),
        COORDINATOR,
    ),
    states.ALUMNI: (
        _l("The duo is completed. Follow up the outcome (job, internship, training)."),
        COORDINATOR,
    ),
    states.WITHDRAWN: (_l("This candidate no longer takes part."), NOBODY),
}
_UNKNOWN = (_l("No step is known for this state."), NOBODY)

#: The links of the steps up to the eligibility decision (later steps plug theirs in).
_LINKS: dict[str, Callable[[Person], tuple[Action, ...]]] = {
    states.REGISTERED: _record_intake,
    states.ATTENDED: _record_intake,
    states.INTAKE_DONE: _complete_or_decide,
    states.NEEDS_REVIEW: _complete_or_decide,
    states.NOT_ELIGIBLE: _decide_otherwise,
}


def _default(person: Person) -> NextStep:
    text, actor = (
        _SENTENCES.get((person.state, person.role)) or _SENTENCES.get(person.state) or _UNKNOWN
    )
    links = _LINKS.get(person.state)
    return NextStep(str(text), actor, links(person) if links else ())
