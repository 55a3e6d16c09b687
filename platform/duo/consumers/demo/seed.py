"""Seed believable demo data once; a second ``make run`` finds it and keeps it.

Every active branch gets a coordinator (``coordinator.<slug>@demo.duoforajob.org``) and,
unless it already has people, a story of about three dozen candidates lived through the
platform's own functions (:mod:`duo.consumers.demo.story`): past information sessions with their
attendance, intake interviews with eligibility decisions (mostly eligible, a few not
eligible or to review, one override), a finished and a running mentor-training cycle,
mentees waiting for a mentor since one to ten weeks, trained mentors free for the next
matching session, and three duos (proposed, active, ended). HQ (``hq@demo.duoforajob.org``)
sees the branches' figures. Who the people are is drawn by :mod:`duo.consumers.demo.cast` from a
seeded generator: the same seed gives the same people.

The whole seed is one transaction (``duo setup`` commits once at the end); each branch is
written inside its own tenant scope (row-level security on PostgreSQL). The mails the
domain writes (sign-up confirmations, "you have a place", "you have been matched") go to
the outbox; ``duo setup`` runs their jobs right after its commit (:func:`run_queued_jobs`),
so the first page a coordinator opens does not have to.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from duo.consumers.demo.cast import cast_for
from duo.consumers.demo.figures import refresh_figures
from duo.consumers.demo.parts import FULL_STORY
from duo.consumers.demo.past import seed_past
from duo.consumers.demo.personas import Branch
from duo.consumers.demo.story import BranchStory, existing_people
from duo.core.auth import accounts
from duo.core.auth.accounts import create_user, find_user
from duo.core.db import db, utcnow
from duo.core.jobs import dispatch
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant

DEMO_PASSWORD = "duo-demo-2026"
HQ_EMAIL = "hq@demo.duoforajob.org"
#: People per branch in the full story (a smaller number keeps its most telling part).
DEFAULT_PEOPLE_PER_BRANCH = FULL_STORY


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    branch: str | None
    #: Base32 TOTP secret, printed by ``duo setup`` (``oathtool --totp -b SECRET``).
    totp_secret: str = ""


def demo_totp_secret(email: str) -> str:
    """The demo account's authenticator secret: published, so derived from the address.

    Only the demo's own accounts get it; real accounts enrol with a random secret.
    """
    digest = hashlib.sha256(f"duo-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def coordinator_email(slug: str) -> str:
    return f"coordinator.{slug}@demo.duoforajob.org"


def demo_logins() -> list[DemoLogin]:
    tenants = db.session.execute(select(Tenant).where(Tenant.active).order_by(Tenant.slug))
    logins = [DemoLogin(HQ_EMAIL, DEMO_PASSWORD, "hq", None, demo_totp_secret(HQ_EMAIL))]
    for tenant in tenants.scalars():
        email = coordinator_email(tenant.slug)
        logins.append(
            DemoLogin(email, DEMO_PASSWORD, "coordinator", tenant.slug, demo_totp_secret(email))
        )
    return logins


def enrol_demo_accounts() -> None:
    """Every demo staff account has its published authenticator secret (2FA is required)."""
    for login in demo_logins():
        user = find_user(login.email)
        if user is not None and not user.has_two_factor:
            accounts.enrol_two_factor(user, login.totp_secret)


@contextmanager
def _one_hash_for_the_demo_password() -> Iterator[None]:
    """Hash the shared demo password once, not once per account (0.2 s each with argon2).

    The demo accounts share a published password, so sharing its hash (and salt) reveals
    nothing; any other password is hashed as usual.
    """
    original = accounts.hash_password
    hashed: list[str] = []

    def hash_password(password: str) -> str:
        if password != DEMO_PASSWORD:
            return original(password)
        if not hashed:
            hashed.append(original(password))
        return hashed[0]

    accounts.hash_password = hash_password
    try:
        yield
    finally:
        accounts.hash_password = original


def seed(
    people_per_branch: int = DEFAULT_PEOPLE_PER_BRANCH,
    seed_value: int = 2026,
    only: list[str] | None = None,
    past: bool = False,
) -> bool:
    """Create the demo users, and the story of every active branch that has no people yet.

    ``people_per_branch`` is the number of candidates each branch gets (the story's most
    telling parts first); ``seed_value`` chooses who they are. Returns whether anything
    was created: False the second time, when everything is already there.

    A branch onboarded after the demo was first seeded gets no fake people and no demo
    login unless it is named in ``only`` (``duo demo seed --branch SLUG``).

    ``past``: each branch seeded now also gets its years of finished activity before the
    story (:mod:`duo.consumers.demo.past`), so that HQ's figures look like the
    organisation's; ``duo setup`` asks for it, tests mostly do not.
    """
    with _one_hash_for_the_demo_password():
        created = _seed(people_per_branch, seed_value, only, past)
    enrol_demo_accounts()
    if created:
        refresh_figures()  # HQ's dashboard shows the story at once
    return created


def _seed(
    people_per_branch: int, seed_value: int, only: list[str] | None = None, past: bool = False
) -> bool:
    created = False
    first_time = find_user(HQ_EMAIL) is None
    if first_time:
        # No saved language: HQ pages follow the browser until the switcher is used.
        create_user(HQ_EMAIL, "HQ Demo", DEMO_PASSWORD, hq=True)
        created = True
    now = utcnow()
    tenants = db.session.execute(select(Tenant).where(Tenant.active).order_by(Tenant.slug))
    for tenant in tenants.scalars().all():
        if (only is not None and tenant.slug not in only) or (only is None and not first_time):
            continue
        coordinator = find_user(coordinator_email(tenant.slug))
        if coordinator is None:
            coordinator = create_user(
                coordinator_email(tenant.slug),
                f"Coordinator {tenant.display_name('en')}",
                DEMO_PASSWORD,
                branches=[tenant.slug],
                locale=tenant.default_locale,
            )
            created = True
        if people_per_branch <= 0:
            continue
        with tenant_scope(tenant.id):
            if existing_people():
                continue
            today = now.astimezone(ZoneInfo(tenant.timezone)).date()
            people = cast_for(Branch.of(tenant), people_per_branch, seed_value, today)
            BranchStory(tenant, coordinator, people, seed_value, now=now).play()
            if past:
                seed_past(tenant, seed_value, today)
            created = True
    return created


def run_queued_jobs(max_calls: int = 20) -> int:
    """Run now what the story queued (its mails, written to the outbox); call after the commit.

    The domain functions queue a job per mail (several hundred for the whole demo). Run by
    ``duo setup``, they cost the first request nothing; with Redis configured they are
    handed to the workers instead. Returns how many jobs were run or handed out.
    """
    db.session.expunge_all()  # thousands of demo rows: every job's commit would expire them
    total = 0
    for _call in range(max_calls):
        done = dispatch(limit=500)
        if not done:
            break
        total += done
    return total
