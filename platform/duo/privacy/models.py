"""What a person agreed to (a ledger), and the erasures asked for or done."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, synonym

from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk

GRANT = "grant"
WITHDRAW = "withdraw"
ACTIONS = (GRANT, WITHDRAW)

#: How a ledger row came about: the public form (or API) at sign-up, the person's own
#: personal link, a coordinator on the person's page (e.g. at the intake, or on the phone),
#: an imported spreadsheet, or the platform itself (an erasure).
FORM = "form"
LINK = "link"
COORDINATOR = "coordinator"
IMPORT = "import"
SYSTEM = "system"
CHANNELS = (FORM, LINK, COORDINATOR, IMPORT, SYSTEM)


class Consent(TenantScoped, db.Model):
    """One row of the consent ledger: a grant or a withdrawal, never rewritten.

    ``kind`` names the purpose (``privacy_notice`` at sign-up, ``sensitive_facts`` at the
    intake for migration background and residence status; the purposes and their text
    versions come from the branch's ``[privacy]`` configuration); ``text_version`` names
    the exact wording shown, so that a later change of text never rewrites what was
    agreed. ``action`` says whether the row grants or withdraws, ``channel`` how (form,
    link, coordinator...), ``at`` (column ``given_at``) when, ``by_user_id`` which staff
    member recorded it (none when the person acted themselves). A grant that a later
    withdrawal ended carries that moment in ``withdrawn_at``, so "does it stand?" is one
    indexed look-up.
    """

    __tablename__ = "consents"
    __table_args__ = (branch_fk("person_id", "people"),)
    __hq_groupable__ = ("kind", "action", "channel")

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    text_version: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(8))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    action: Mapped[str] = mapped_column(String(10), default=GRANT, server_default=GRANT)
    channel: Mapped[str] = mapped_column(String(20), default=FORM, server_default=FORM)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    #: When this row was recorded (a grant's or a withdrawal's moment).
    at = synonym("given_at")


#: Why a person is (to be) erased.
ASKED = "asked"  # a coordinator erased on the person's request
WITHDRAWAL = "withdrawal"  # the privacy consent was withdrawn: erasure scheduled
RETENTION = "retention"  # no activity for the branch's retention period
ERASURE_REASONS = (ASKED, WITHDRAWAL, RETENTION)


class Erasure(TenantScoped, db.Model):
    """An erasure of one person: scheduled (``due_at``) and, once done, ``done_at``.

    The person's row stays, pseudonymised, so the duo and the reports keep counting it.
    """

    __tablename__ = "privacy_erasures"
    __table_args__ = (branch_fk("person_id", "people"),)
    __hq_groupable__ = ("reason",)

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    reason: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
