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
from duo.people.models import Person

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


def _default(person: Person) -> NextStep:
    s = person.state
    if s == states.REGISTERED:
        return NextStep(
            str(
                _l(
                    "The candidate has signed up for an information session. After it, "
                    "plan the intake interview; you may also hold it now."
                )
            ),
            CANDIDATE,
            (_intake(person, _l("Record the intake")),),
        )
    if s == states.ATTENDED:
        return NextStep(
            str(
                _l(
                    "Schedule and hold the intake interview: the eligibility rules are "
                    "applied when you record it."
                )
            ),
            COORDINATOR,
            (_intake(person, _l("Record the intake")),),
        )
    if s == states.INTAKE_DONE:
        return NextStep(
            str(_l("The intake is recorded; take the eligibility decision.")),
            COORDINATOR,
            _complete_or_decide(person),
        )
    if s == states.NEEDS_REVIEW:
        return NextStep(
            str(
                _l(
                    "The rules cannot decide alone. Complete the missing answers in the "
                    "intake, or decide yourself with a justification."
                )
            ),
            COORDINATOR,
            _complete_or_decide(person),
        )
    if s == states.NOT_ELIGIBLE:
        return NextStep(
            str(
                _l(
                    "Not eligible: tell the candidate and, where useful, point them to "
                    "another organisation. You may decide otherwise with a justification."
                )
            ),
            COORDINATOR,
            (_override(person, _l("Decide otherwise")),),
        )
    if s == states.ELIGIBLE and person.role == "mentor":
        return NextStep(str(_l("Eligible: enrol the mentor in a mentor training.")), COORDINATOR)
    if s == states.ELIGIBLE:
        return NextStep(
            str(_l("Eligible: the mentee waits for a matching session to meet a mentor.")),
            COORDINATOR,
        )
    if s == states.IN_TRAINING:
        return NextStep(
            str(_l("The mentor attends the training; record the attendance after each module.")),
            CANDIDATE,
        )
    if s == states.TRAINED:
        return NextStep(
            str(_l("Trained: the mentor waits for a matching session to meet a mentee.")),
            COORDINATOR,
        )
    if s == states.MATCHED:
        return NextStep(
            str(
                _l(
                    "A duo is proposed: plan the first meeting; then mentor and mentee "
                    "each decide whether to go on."
                )
            ),
            BOTH,
        )
    if s == states.IN_DUO:
        return NextStep(
            str(
                _l(
                    "In a duo: mentor and mentee meet every week; follow the duo and "
                    "evaluate it at the end."
                )
            ),
            BOTH,
        )
    if s == states.ALUMNI:
        if person.role == "mentor":
            return NextStep(
                str(_l("The duo is completed. The mentor may start another duo.")), COORDINATOR
            )
        return NextStep(
            str(_l("The duo is completed. Follow up the outcome (job, internship, training).")),
            COORDINATOR,
        )
    if s == states.WITHDRAWN:
        return NextStep(str(_l("This candidate no longer takes part.")), NOBODY)
    return NextStep(str(_l("No step is known for this state.")), NOBODY)
