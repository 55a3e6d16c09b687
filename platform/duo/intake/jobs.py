"""Intake jobs: the notices of an appointment and the day-before reminders.

``intake.send_notice`` writes the invitation, the move notice or the cancellation; it
takes the appointment's ``sequence`` and does nothing when the appointment has changed
since (the newer notice follows). ``intake.send_reminders`` runs every hour (declared in
``intake/plugin.py``): in each active branch's scope it picks the intakes of the branch's
local tomorrow and enqueues one ``intake.send_reminder`` per appointment and time, keyed
``intake-reminder:<id>:<sequence>`` in the outbox, so nobody is reminded twice of the
same time however often it runs; a moved intake is reminded again of its new time.
"""

from __future__ import annotations

import datetime as dt
import uuid

from duo.core.db import db, utcnow
from duo.core.jobs import job
from duo.core.jobs.schedule import Periodic
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.directory import each_active_branch
from duo.core.tenancy.models import Tenant
from duo.intake import appointments, notify
from duo.intake.models import CANCELLED, SCHEDULED

#: Every hour: reminders of tomorrow's intakes (listed in ``intake/plugin.py``).
REMINDERS = Periodic("intake-reminders", "intake.send_reminders", dt.timedelta(hours=1))


def _load(appointment_id: str):
    tenant = db.session.get(Tenant, require_tenant_id())
    appointment = appointments.get(uuid.UUID(appointment_id))
    if tenant is None or appointment is None:
        return None
    return tenant, appointment


@job(appointments.SEND_JOB)
def send_notice(appointment_id: str, kind: str, sequence: int) -> bool:
    loaded = _load(appointment_id)
    if loaded is None:
        return False
    tenant, appointment = loaded
    if appointment.sequence != sequence:
        return False
    expected = CANCELLED if kind == appointments.CANCELLED_NOTICE else SCHEDULED
    if appointment.status != expected:
        return False
    notify.send(kind, appointment, tenant)
    return True


@job(appointments.REMINDER_JOB)
def send_reminder(appointment_id: str, sequence: int) -> bool:
    """The day-before reminder; nothing if the intake was moved, cancelled or is past."""
    loaded = _load(appointment_id)
    if loaded is None:
        return False
    tenant, appointment = loaded
    if (
        appointment.status != SCHEDULED
        or appointment.sequence != sequence
        or appointment.starts_at <= utcnow()
    ):
        return False
    notify.send(appointments.REMINDER, appointment, tenant)
    return True


@job("intake.send_reminders")
def send_reminders(now_iso: str | None = None) -> int:
    """Every active branch's reminders of tomorrow's intakes (the branch's local day)."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else utcnow()
    return sum(appointments.queue_reminders(tenant, now) for tenant in each_active_branch())
