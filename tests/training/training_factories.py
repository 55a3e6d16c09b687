"""Plain helpers shared by the training tests (fixtures stay in conftest.py)."""

from __future__ import annotations

import datetime as dt

from duo.core.db import db
from duo.core.tenancy.context import tenant_scope
from duo.training import curriculum, planning
from duo.training.models import MODULES, WORKSHOP, TrainingCycle
from duo.training.schedule import Rhythm

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

#: Far enough ahead that "future" stays true whenever the suite runs.
FUTURE = dt.date(2030, 9, 2)  # a Monday
#: Over, for attendance.
PAST = dt.date(2025, 9, 1)  # a Monday


def required_modules(tenant) -> list[str]:  # noqa: ANN001
    return curriculum.required_keys(tenant.config)


def make_cycle(
    tenant,  # noqa: ANN001
    *,
    start: dt.date = FUTURE,
    weekdays: tuple[int, ...] = (TUE,),
    start_time: dt.time = dt.time(18),
    end_time: dt.time = dt.time(21),
    modules: list[str] | None = None,
    workshop: str | None = None,
    count: int | None = None,
    capacity: int | None = None,
    title: str = "Test cycle",
    every_weeks: int = 1,
) -> TrainingCycle:
    """A saved cycle of ``tenant`` (modules by default: every module of its curriculum)."""
    if workshop is None and modules is None:
        modules = [m.key for m in curriculum.modules(tenant.config)]
    plan = planning.CyclePlan(
        title=title,
        kind=WORKSHOP if workshop else MODULES,
        start_date=start,
        rhythm=Rhythm(weekdays, start_time, end_time, every_weeks),
        module_keys=modules or (),
        workshop_key=workshop,
        count=count,
        capacity=capacity,
    )
    with tenant_scope(tenant.id):
        cycle = planning.create_cycle(tenant, plan, language="en")
        db.session.flush()
    return cycle
