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
@click.option(
    "--password",
    envvar="DUO_USER_PASSWORD",
    default=None,
    help="Asked for when missing and interactive; or set DUO_USER_PASSWORD.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
@click.option("--branch", "branches", multiple=True, help="Coordinator of this branch (slug).")
@click.option("--hq", is_flag=True, help="Headquarters role (figures of all branches).")
@click.option("--locale", type=click.Choice(["en", "fr", "nl"]), default=None)
@with_appcontext
def create(
    email: str,
    name: str,
    password: str | None,
    password_stdin: bool,
    branches: tuple[str, ...],
    hq: bool,
    locale: str | None,
) -> None:
    """Create a coordinator (--branch, repeatable) or an HQ user (--hq).

    The password comes from --password-stdin, else --password / DUO_USER_PASSWORD, else a
    prompt on a terminal. Without a terminal and without a password it stops with an error
    rather than waiting for an answer nobody can give.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        if not sys.stdin.isatty():
            click.echo(
                "error: no password: use --password-stdin, --password or DUO_USER_PASSWORD",
                err=True,
            )
            sys.exit(2)
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name, password, branches=list(branches), hq=hq, locale=locale)
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    roles = ", ".join(f"{r.role}:{r.tenant_id or '*'}" for r in user.roles)
    click.echo(f"created {user.email} ({roles})")
