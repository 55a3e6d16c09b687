"""``duo setup``: everything ``make run`` needs before serving, safe to run again."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from duo.consumers.demo.guard import production_reasons
from duo.consumers.demo.seed import demo_logins, run_queued_jobs, seed
from duo.core.db import db
from duo.core.db.maintenance import analyze
from duo.core.tenancy.config import ConfigError, load_tenants
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.sync import apply_plan, plan


def with_past() -> bool:
    """Whether the demo gets its years of past activity (``DUO_DEMO_PAST``; off in tests)."""
    return bool(current_app.config.get("DUO_DEMO_PAST", not current_app.testing))


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Seed demo users and candidates.")
@with_appcontext
def setup(demo: bool) -> None:
    """Migrate the database, load tenants/, seed demo data and print the demo logins."""
    reasons = production_reasons(current_app)
    if demo and reasons:
        raise click.ClickException(
            "production configuration detected (" + "; ".join(reasons) + "): demo data is "
            "never seeded here. Run `duo setup --no-demo`."
        )
    from flask_migrate import upgrade  # (with Alembic) only for this command

    upgrade()
    try:
        configs = load_tenants(__import__("pathlib").Path(current_app.config["DUO_TENANTS_PATH"]))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    result = plan(configs)
    apply_plan(result)
    db.session.commit()
    click.echo(
        f"branches: {len(result.added)} added, {len(result.changed)} changed, "
        f"{len(result.unchanged)} unchanged, {len(result.deactivated)} made inactive"
    )
    if not demo:
        analyze()
        return
    if seed(past=with_past()):
        db.session.commit()
        click.echo("demo data created")
        click.echo(f"demo mails written to the outbox ({run_queued_jobs()} jobs run)")
        analyze()  # the tables the demo filled get statistics now, not when autovacuum runs
    else:
        click.echo("demo data already present (kept)")
    _print_logins(demo_logins())


def _print_logins(logins: list) -> None:
    """The demo accounts a person can log in with: e-mail, authenticator secret, branch."""
    click.echo("\nDemo logins (password for all: see below; then the code of an authenticator")
    click.echo("app set up with the account's TOTP secret, or `oathtool --totp -b SECRET`)")
    for login in logins:
        where = login.branch or "all branches (figures only)"
        click.echo(f"  {login.role:12} {login.email:48} TOTP {login.totp_secret}  {where}")
    click.echo(f"  password: {logins[0].password}")


@click.group("demo", help="Demo data (never in production).")
def demo_group() -> None:
    pass


@demo_group.command("seed")
@click.option("--branch", "slugs", multiple=True, required=True, help="Branch slug (repeatable).")
@click.option("--people", default=None, type=int, help="Candidates per branch.")
@with_appcontext
def demo_seed(slugs: tuple[str, ...], people: int | None) -> None:
    """Seed demo people and a demo coordinator login for the named branch(es)."""
    reasons = production_reasons(current_app)
    if reasons:
        raise click.ClickException(
            "production configuration detected (" + "; ".join(reasons) + "): no demo data."
        )
    known = set(db.session.execute(select(Tenant.slug).where(Tenant.active)).scalars())
    unknown = sorted(set(slugs) - known)
    if unknown:
        raise click.ClickException(f"unknown or inactive branch: {', '.join(unknown)}")
    kwargs = {"people_per_branch": people} if people is not None else {}
    if seed(only=list(slugs), past=with_past(), **kwargs):
        db.session.commit()
        click.echo(f"demo data created for {', '.join(slugs)} ({run_queued_jobs()} jobs run)")
    else:
        click.echo("demo data already present (kept)")
    # The branch's coordinator has two-factor authentication on: without its secret the
    # login printed nowhere else could not be used.
    _print_logins([login for login in demo_logins() if login.branch in slugs])
