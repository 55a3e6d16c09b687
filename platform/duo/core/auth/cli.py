"""``duo users create``: staff accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from duo.core.auth.accounts import AccountError, create_user
from duo.core.db import db


@click.group("users", help="Staff accounts.")
def users() -> None:
    pass


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--branch", "branches", multiple=True, help="Coordinator of this branch (slug).")
@click.option("--hq", is_flag=True, help="Headquarters role (figures of all branches).")
@click.option("--locale", type=click.Choice(["en", "fr", "nl"]), default=None)
@with_appcontext
def create(
    email: str, name: str, password: str, branches: tuple[str, ...], hq: bool, locale: str | None
) -> None:
    """Create a coordinator (--branch, repeatable) or an HQ user (--hq)."""
    try:
        user = create_user(email, name, password, branches=list(branches), hq=hq, locale=locale)
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    roles = ", ".join(f"{r.role}:{r.tenant_id or '*'}" for r in user.roles)
    click.echo(f"created {user.email} ({roles})")
