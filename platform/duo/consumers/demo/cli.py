"""``duo setup``: everything ``make run`` needs before serving, safe to run again."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from duo.consumers.demo.seed import demo_logins, run_queued_jobs, seed
from duo.core.db import db
from duo.core.db.maintenance import analyze
from duo.core.tenancy.config import ConfigError, load_tenants
from duo.core.tenancy.sync import apply_plan, plan


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Seed demo users and candidates.")
@with_appcontext
def setup(demo: bool) -> None:
    """Migrate the database, load tenants/, seed demo data and print the demo logins."""
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
    if seed():
        db.session.commit()
        click.echo("demo data created")
        click.echo(f"demo mails written to the outbox ({run_queued_jobs()} jobs run)")
        analyze()  # the tables the demo filled get statistics now, not when autovacuum runs
    else:
        click.echo("demo data already present (kept)")
    click.echo("\nDemo logins (password for all: see below; then the code of an authenticator")
    click.echo("app set up with the account's TOTP secret, or `oathtool --totp -b SECRET`)")
    for login in demo_logins():
        where = login.branch or "all branches (figures only)"
        click.echo(f"  {login.role:12} {login.email:48} TOTP {login.totp_secret}  {where}")
    click.echo(f"  password: {demo_logins()[0].password}")


commands = [setup]
