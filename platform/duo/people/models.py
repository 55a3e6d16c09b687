"""A person is a candidate mentor or mentee of one branch.

Only the basics live here; the pipeline, the intake profile and eligibility decisions
belong to the steps that own them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from duo.db import db, utcnow
from duo.db.types import UTCDateTime
from duo.tenancy.models import TenantScoped

MENTOR = "mentor"
MENTEE = "mentee"
AUDIENCES = (MENTOR, MENTEE)


class Person(TenantScoped, db.Model):
    __tablename__ = "people"
    #: Columns HQ may group its counts by (never names, contacts or ages of one person).
    __hq_groupable__ = ("role", "state")

    role: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    locale: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(30), default="registered")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
