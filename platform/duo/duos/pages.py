"""The duo page of a branch, shared by its routes: the blueprint, loading a duo, and
rendering the page with every step's form (``views`` and ``step_views`` add the routes).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, g, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from duo.core import links
from duo.core.auth.accounts import coordinators_of
from duo.core.auth.models import User
from duo.core.tenancy.scoping import BranchLoad
from duo.duos import (
    accompaniment,
    config,
    first_meeting,
    health,
    history,
    pdf,
    states,
)
from duo.duos.forms import (
    LogForm,
    OnBehalfDecisionForm,
    PartyForm,
    PlanMeetingForm,
    SignForm,
    form_for,
)
from duo.duos.models import Duo, DuoDocument
from duo.duos.notify import OBJECT
from duo.training.status import attended_modules

bp = Blueprint("duos", __name__, url_prefix="/<tenant>/duos", template_folder="templates")

#: Moves made with the generic form; the others have their own step (see module doc).
GENERIC_MOVES = (states.ENDED, states.EVALUATED, states.STOPPED)


STATE_ORDER = case({s: i for i, s in enumerate(states.STATES)}, value=Duo.state)


#: Panels later capabilities add to the duo page (evaluation): ``panel(duo) -> html``.
PANELS: list[Callable[[Duo], str]] = []


def register_panel(panel: Callable[[Duo], str]) -> Callable[[Duo], str]:
    """Add a section to the duo page (a later step registers it; duos imports none)."""
    PANELS.append(panel)
    return panel


#: Every duo page and move starts here; its eager loads cost more to build than to run:
#: built once per branch.
_DUO = BranchLoad(
    lambda: (
        select(Duo)
        .where(Duo.id == bindparam("duo_id", type_=Duo.id.type))
        .options(
            joinedload(Duo.mentee),
            joinedload(Duo.mentor),
            joinedload(Duo.first_meeting_coordinator).lazyload(User.roles),
            joinedload(Duo.decisions),
            joinedload(Duo.signatures),
            joinedload(Duo.documents).defer(DuoDocument.content),
            joinedload(Duo.open_alerts),
        )
    )
)


def load(duo_id: uuid.UUID) -> Duo:
    """The duo with what its page shows of it, in one statement (the timeline, check-ins
    and links, which grow with the duo's life, are read apart)."""
    duo = _DUO(duo_id=duo_id).unique().scalar_one_or_none()
    if duo is None:
        abort(404)
    return duo


def forms_for(duo: Duo, failed: tuple[str, object] | None = None) -> dict[str, object]:
    """A form for every move allowed from the duo's state; ``failed`` replaces one of them."""
    at_first_meeting = duo.state == states.FIRST_MEETING
    forms = {}
    for target in states.next_states(duo.state):
        if target not in GENERIC_MOVES:
            continue
        if failed is not None and failed[0] == target:
            forms[target] = failed[1]
        else:
            forms[target] = form_for(target, at_first_meeting, formdata=None)
        stop_choices(forms[target])
    return forms


def stop_choices(form: object) -> None:
    field = getattr(form, "reason_key", None)
    if field is not None:
        locale = str(get_locale())
        field.choices = [SelectChoice("", "-")] + [
            SelectChoice(key, title)
            for key, title in config.choices(g.tenant, "stop_reasons", locale)
        ]


def _workshops(duo: Duo) -> dict[str, list[str]]:
    """Recurring workshops (intervision, job-application training...) each one attended."""
    locale = str(get_locale())
    titles = {
        item["key"]: (item.get("title") or {}).get(locale) or item["key"]
        for item in g.tenant.config.get("training", {}).get("recurring", [])
    }
    attended = attended_modules(g.tenant.id, [duo.mentee_id, duo.mentor_id])
    return {
        party: sorted(titles[key] for key in attended.get(person_id, set()) if key in titles)
        for party, person_id in (("mentee", duo.mentee_id), ("mentor", duo.mentor_id))
    }


def plan_form(duo: Duo, formdata: object = None) -> PlanMeetingForm:
    form = PlanMeetingForm(prefix="plan", formdata=formdata)
    form.coordinator_id.choices = [SelectChoice("", "-")] + [
        SelectChoice(str(u.id), u.name) for u in coordinators_of(g.tenant.id)
    ]
    if formdata is None and duo.first_meeting_at is not None:
        local = duo.first_meeting_at.astimezone(ZoneInfo(g.tenant.timezone))
        form.day.data, form.time.data = local.date(), local.time()
        form.place.data = duo.first_meeting_place
        form.video_url.data = duo.first_meeting_video_url
        form.coordinator_id.data = str(duo.first_meeting_coordinator_id or "")
    return form


def render(duo: Duo, status: int = 200, failed: tuple[str, object] | None = None, **steps):
    """The duo page, for a duo from :func:`load`. The accompaniment (check-ins, workshops)
    shows from the signature on, the planning form until the first decision: neither is
    read before."""
    names = {duo.mentee.id: duo.mentee.full_name, duo.mentor.id: duo.mentor.full_name}
    live = links.live_links(OBJECT, duo.id)
    started = duo.started_at is not None
    rows = accompaniment.check_ins(duo) if started else []
    decisions = {d.party: d for d in duo.decisions}
    planning = duo.state in (states.PROPOSED, states.FIRST_MEETING) and not decisions
    return (
        render_template(
            "duos/detail.html",
            duo=duo,
            forms=forms_for(duo, failed),
            states=states,
            timeline=history.timeline(duo, names, _("the system")),
            decisions=decisions,
            decision_open=first_meeting.decision_open(duo),
            signatures={s.party: s for s in duo.signatures},
            document=next((d for d in duo.documents if d.kind == pdf.KIND), None)
            if started
            else None,
            live_links={
                party: [link for link in live if link.person_id == person_id]
                for party, person_id in (("mentee", duo.mentee_id), ("mentor", duo.mentor_id))
            },
            plan_form=steps.get("plan_form") or (plan_form(duo) if planning else None),
            behalf_form=steps.get("behalf_form")
            or OnBehalfDecisionForm(prefix="behalf", formdata=None),
            countersign_form=steps.get("countersign_form")
            or SignForm(prefix="countersign", formdata=None),
            party_form=PartyForm(prefix="link", formdata=None),
            check_ins=rows,
            weeks=accompaniment.timeline(duo, g.tenant, rows),
            topic_titles=dict(config.choices(g.tenant, "topics", str(get_locale()))),
            log_form=steps.get("log_form") or LogForm(prefix="log", formdata=None),
            workshops=_workshops(duo) if started else {},
            panels=[Markup(panel(duo)) for panel in PANELS],
            alerts=duo.open_alerts,
            alert_kinds=health.KINDS,
            attending=duo.first_meeting_coordinator,
        ),
        status,
    )
