"""Seed believable demo data once; a second ``make run`` finds it and keeps it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker
from sqlalchemy import select

from duo.auth.accounts import create_user, find_user
from duo.db import db
from duo.people.models import MENTEE, MENTOR, Person
from duo.tenancy.context import tenant_scope
from duo.tenancy.models import Tenant

DEMO_PASSWORD = "duo-demo-2026"
HQ_EMAIL = "hq@demo.duoforajob.org"

_FAKER_LOCALE = {"be": "fr_BE", "nl": "nl_NL", "fr": "fr_FR"}
_MENTEE_FIRST_NAMES = [
    "Amina",
    "Youssef",
    "Fatima",
    "Ibrahim",
    "Aïcha",
    "Samir",
    "Leila",
    "Omar",
    "Nadia",
    "Kofi",
    "Mariam",
    "Hamza",
    "Zainab",
    "Tesfaye",
    "Senait",
    "Bilal",
    "Yasmina",
    "Elif",
    "Emre",
    "Dilan",
    "Moussa",
    "Awa",
    "Rania",
    "Karim",
    "Hanan",
    "Mehmet",
    "Soukaina",
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    branch: str | None


def coordinator_email(slug: str) -> str:
    return f"coordinator.{slug}@demo.duoforajob.org"


def demo_logins() -> list[DemoLogin]:
    tenants = db.session.execute(select(Tenant).where(Tenant.active).order_by(Tenant.slug))
    logins = [DemoLogin(HQ_EMAIL, DEMO_PASSWORD, "hq", None)]
    for tenant in tenants.scalars():
        logins.append(
            DemoLogin(coordinator_email(tenant.slug), DEMO_PASSWORD, "coordinator", tenant.slug)
        )
    return logins


def seed(people_per_branch: int = 24, seed_value: int = 2026) -> bool:
    """Create demo users and people for every active branch that has none. Idempotent."""
    created = False
    if find_user(HQ_EMAIL) is None:
        create_user(HQ_EMAIL, "HQ Demo", DEMO_PASSWORD, hq=True, locale="en")
        created = True
    rng = random.Random(seed_value)
    tenants = db.session.execute(select(Tenant).where(Tenant.active).order_by(Tenant.slug))
    for tenant in tenants.scalars().all():
        if find_user(coordinator_email(tenant.slug)) is None:
            create_user(
                coordinator_email(tenant.slug),
                f"Coordinator {tenant.display_name('en')}",
                DEMO_PASSWORD,
                branches=[tenant.slug],
                locale=tenant.default_locale,
            )
            created = True
        with tenant_scope(tenant.id):
            if db.session.execute(select(Person.id).limit(1)).first() is not None:
                continue
            fake = Faker(_FAKER_LOCALE.get(tenant.country, "en_GB"))
            fake.seed_instance(seed_value + tenant.id)
            for i in range(people_per_branch):
                role = MENTOR if i % 2 == 0 else MENTEE
                first = fake.first_name() if role == MENTOR else rng.choice(_MENTEE_FIRST_NAMES)
                last = fake.last_name()
                db.session.add(
                    Person(
                        role=role,
                        first_name=first,
                        last_name=last,
                        email=f"{first}.{last}.{i}@example.org".lower().replace(" ", ""),
                        phone=fake.phone_number(),
                        birth_year=rng.randint(1955, 1974)
                        if role == MENTOR
                        else rng.randint(1994, 2006),
                        locale=rng.choice(tenant.locales),
                        state="registered",
                    )
                )
            db.session.flush()
            created = True
    return created
