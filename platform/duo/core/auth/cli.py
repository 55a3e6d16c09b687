"""``duo users create|list|deactivate|reset-2fa|set-password``: staff accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from duo.core.auth.accounts import (
    AccountError,
    all_users,
    create_user,
    deactivate,
    find_user,
    reset_two_factor,
    set_password,
)
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


def _user_or_exit(email: str):
    user = find_user(email)
    if user is None:
        click.echo(f"error: no user with e-mail {email}", err=True)
        sys.exit(1)
    return user


@users.command("list")
@with_appcontext
def list_users() -> None:
    """Every staff account: e-mail, roles, active, two-factor enrolled, last login."""
    for user in all_users():
        roles = ", ".join(f"{r.role}:{r.tenant_id or '*'}" for r in user.roles)
        state = "active" if user.active else "deactivated"
        second = "2fa" if user.has_two_factor else "no-2fa"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
        click.echo(f"{user.email}\t{user.name}\t{roles}\t{state}\t{second}\t{last}")


@users.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_user(email: str) -> None:
    """Close an account: it can no longer log in, and its open sessions end now."""
    deactivate(_user_or_exit(email))  # by an operator: the audit log says so
    db.session.commit()
    click.echo(f"deactivated {email}; its sessions have ended")


@users.command("reset-2fa")
@click.argument("email")
@with_appcontext
def reset_2fa(email: str) -> None:
    """Forget a user's authenticator (lost phone): the next login enrols a new one."""
    reset_two_factor(_user_or_exit(email))
    db.session.commit()
    click.echo(f"two-factor reset for {email}; it enrols again at the next login")


@users.command("set-password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def set_user_password(email: str, password: str) -> None:
    """Set a new password (every session of the user ends)."""
    user = _user_or_exit(email)
    try:
        set_password(user, password)
    except AccountError as exc:
        db.session.rollback()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"password changed for {email}; its sessions have ended")
