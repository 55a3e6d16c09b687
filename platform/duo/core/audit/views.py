"""A branch's audit log: a coordinator-only page, filterable and paginated.

Filters come from the query string (person, actor, kind, a date range in the branch's
time zone); a bad value gets a message at its field and the log shows unfiltered by it.
Names of people come from the :data:`PERSON_NAMES` hook (the people's register plugs in),
so the log itself stores ids only and shows a pseudonymised name once a person is erased.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from duo.core.audit import KINDS
from duo.core.audit.models import AuditEvent
from duo.core.auth.access import coordinator_required
from duo.core.auth.models import COORDINATOR, RoleGrant, User
from duo.core.db import db
from duo.core.hooks import Hook
from duo.core.validation import Form, not_before

bp = Blueprint("audit", __name__, url_prefix="/<tenant>/audit", template_folder="templates")

PER_PAGE = 50

#: ``(person ids) -> {id: (name, url or None)}`` for the people named in a page of the log.
PERSON_NAMES: Hook[Callable[[Iterable[uuid.UUID]], dict[uuid.UUID, tuple[str, str | None]]]] = Hook(
    "audit.person_names", "Names (and page links) of the people in the audit log."
)


class FilterForm(Form):
    class Meta:
        csrf = False

    person = StringField(_l("Person"), validators=[Optional()])
    actor = SelectField(_l("Who"), validators=[Optional()], validate_choice=False)
    kind = SelectField(_l("What"), validators=[Optional()], validate_choice=False)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(
        _l("Until"),
        validators=[Optional(), not_before("date_from", _l("The end is before the start."))],
    )

    def person_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.person.data) if self.person.data else None
        except ValueError:
            self.person.errors = [_l("This is not a person of the log.")]
            return None


def _staff_of_branch(tenant_id: int) -> list[User]:
    """Coordinators of this branch, and anyone who appears in its log (e.g. a former one)."""
    logged = (
        select(AuditEvent.actor_user_id)
        .where(AuditEvent.tenant_id == tenant_id, AuditEvent.actor_user_id.is_not(None))
        .distinct()
    )
    granted = select(RoleGrant.user_id).where(
        RoleGrant.role == COORDINATOR, RoleGrant.tenant_id == tenant_id
    )
    return list(
        db.session.execute(
            select(User).where(User.id.in_(granted) | User.id.in_(logged)).order_by(User.name)
        ).scalars()
    )


def _since(day: Any, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


@bp.route("/")
@coordinator_required
def index():
    tenant = g.tenant
    zone = ZoneInfo(tenant.timezone)
    form = FilterForm(formdata=request.args)
    staff = _staff_of_branch(tenant.id)
    form.actor.choices = [("", _l("Anyone"))] + [(str(u.id), u.name) for u in staff]
    form.kind.choices = [("", _l("Everything"))] + [(k, v) for k, v in KINDS.items()]
    valid = form.validate()
    conditions = []
    person_id = form.person_id()
    if person_id is not None:
        conditions.append(AuditEvent.person_id == person_id)
    if form.actor.data and form.actor.data.isdigit():
        conditions.append(AuditEvent.actor_user_id == int(form.actor.data))
    if form.kind.data in KINDS:
        conditions.append(AuditEvent.action == form.kind.data)
    if valid and form.date_from.data:
        conditions.append(AuditEvent.at >= _since(form.date_from.data, zone))
    if valid and form.date_to.data:
        conditions.append(AuditEvent.at < _since(form.date_to.data + timedelta(days=1), zone))

    total = db.session.execute(
        select(func.count()).select_from(AuditEvent).where(*conditions)
    ).scalar_one()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(_page_number(), pages)
    events = (
        db.session.execute(
            select(AuditEvent)
            .where(*conditions)
            .order_by(AuditEvent.at.desc(), AuditEvent.id)
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
        .scalars()
        .all()
    )
    people_ids = {e.person_id for e in events if e.person_id is not None}
    if person_id is not None:
        people_ids.add(person_id)
    provider = PERSON_NAMES.one()
    people = provider(people_ids) if provider and people_ids else {}
    names = {u.id: u.name for u in staff}
    keys = ("person", "actor", "kind", "date_from", "date_to")
    args = {k: v for k, v in request.args.items() if k in keys and v}
    return render_template(
        "audit/index.html",
        form=form,
        events=events,
        people=people,
        names=names,
        kinds=KINDS,
        page=page,
        pages=pages,
        total=total,
        args=args,
        filtered=bool(conditions),
        person_name=people.get(person_id) if person_id else None,
    ), (200 if valid and not form.person.errors else 400)
