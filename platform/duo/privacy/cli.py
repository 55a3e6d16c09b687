"""``duo privacy retention [--dry-run]``: what the retention job does, now."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from duo.core.db import db
from duo.privacy.jobs import each_branch


@click.group("privacy", help="Personal data: retention and erasure.")
def privacy() -> None:
    pass


@privacy.command("retention")
@click.option("--dry-run", is_flag=True, help="Print what would happen; change nothing.")
@click.option("--branch", "slug", default=None, help="Only this branch.")
@with_appcontext
def retention(dry_run: bool, slug: str | None) -> None:
    """Pseudonymise inactive people, carry out due erasures, delete old mail bodies."""
    plans = each_branch(dry_run=dry_run, slug=slug)
    if slug is not None and not plans:
        raise click.ClickException(f"unknown branch: {slug}")
    verb = "would" if dry_run else "did"
    for plan in plans:
        click.echo(
            f"{plan.branch:12} {verb} pseudonymise {len(plan.pseudonymise)} inactive, "
            f"erase {len(plan.scheduled)} scheduled, cancel {len(plan.cancelled)} erasures, "
            f"delete {plan.mail_bodies} mail bodies"
        )
        for person_id in plan.pseudonymise:
            click.echo(f"  inactive  {person_id}")
        for person_id in plan.scheduled:
            click.echo(f"  scheduled {person_id}")
    if dry_run:
        click.echo("dry run: nothing written")  # a plan writes nothing, and nothing commits
    else:
        db.session.commit()
