"""``duo tenants check`` and ``duo tenants apply``: onboarding a branch is a file and a command."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from duo.core.db import db
from duo.core.tenancy.config import ConfigError, load_tenants
from duo.core.tenancy.sync import apply_plan, plan


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["DUO_TENANTS_PATH"])


@click.group("tenants", help="Branch configuration files (tenants/*.toml).")
def tenants() -> None:
    pass


@tenants.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--path", "path", default=None, help="The tenants folder (default: tenants/).")
@with_appcontext
def check(files: tuple[Path, ...], path: str | None) -> None:
    """Validate branch files without writing anything."""
    root = _root(path)
    try:
        configs = load_tenants(root, only=list(files) or None)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for slug in sorted(configs):
        click.echo(f"ok  {slug}  ({configs[slug].source})")


@tenants.command("apply")
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@click.option("--path", "path", default=None, help="The tenants folder (default: tenants/).")
@with_appcontext
def apply(dry_run: bool, path: str | None) -> None:
    """Add or update branches from their files; branches whose file is gone become inactive."""
    try:
        configs = load_tenants(_root(path))
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    result = plan(configs)
    for config in result.added:
        click.echo(f"+ added      {config.slug}")
    for change in result.changed:
        click.echo(f"~ changed    {change.slug}: {', '.join(change.fields)}")
    for slug in result.unchanged:
        click.echo(f"= unchanged  {slug}")
    for slug in result.deactivated:
        click.echo(f"- inactive   {slug} (file removed; data kept)")
    if dry_run:
        click.echo("dry run: nothing written")
        db.session.rollback()
        return
    try:
        apply_plan(result)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo("applied" if result.has_changes else "nothing to change")
