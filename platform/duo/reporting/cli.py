"""``duo tokens ...`` (HQ API tokens) and ``duo reporting refresh``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext
from sqlalchemy import select

from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.reporting import query
from duo.reporting import tokens as api_tokens
from duo.reporting.models import HqApiToken
from duo.reporting.refresh import refresh_now
from duo.reporting.report import LOCALES, annual_pdf


@click.group("tokens", help="API tokens.")
def tokens() -> None:
    pass


@tokens.command("create")
@click.option("--hq", "for_hq", is_flag=True, required=True, help="A token for HQ's API.")
@click.option("--name", required=True, help="Who or what uses it (e.g. the BI tool).")
@with_appcontext
def create(for_hq: bool, name: str) -> None:
    """Create an HQ API token and print it once (only its hash is kept)."""
    try:
        _row, token = api_tokens.create(name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(token)
    click.echo("Keep it now: it is not shown again.", err=True)


@tokens.command("list")
@with_appcontext
def list_tokens() -> None:
    """Names of the HQ API tokens, when made, last used and whether revoked."""
    for row in db.session.execute(select(HqApiToken).order_by(HqApiToken.name)).scalars():
        state = "revoked" if row.revoked_at else "active"
        click.echo(f"{row.name:30} {state:8} created {row.created_at:%Y-%m-%d}")


@tokens.command("revoke")
@click.option("--name", required=True)
@with_appcontext
def revoke(name: str) -> None:
    """Revoke an HQ API token: it stops working at once."""
    if not api_tokens.revoke(name):
        raise click.ClickException(f"no active token named {name!r}")
    db.session.commit()
    click.echo(f"revoked {name}")


@click.group("reporting", help="HQ's figures (rollups).")
def reporting() -> None:
    pass


@reporting.command("refresh")
@click.option("--branch", "slug", default=None, help="Only this branch.")
@with_appcontext
def refresh(slug: str | None) -> None:
    """Recount the rollups of every active branch (or one) now."""
    stmt = select(Tenant.id, Tenant.slug).where(Tenant.active.is_(True))
    if slug:
        stmt = select(Tenant.id, Tenant.slug).where(Tenant.slug == slug)
    rows = db.session.execute(stmt).all()
    if not rows:
        raise click.ClickException(f"unknown branch: {slug}")
    for tenant_id, name in rows:
        result = refresh_now(tenant_id)
        db.session.commit()
        click.echo(f"{name:12} {result['cells']} cells")


@click.group("report", help="Reports made from HQ's figures.")
def report() -> None:
    pass


@report.command("annual")
@click.argument("year", type=int)
@click.option("--locale", type=click.Choice(LOCALES), default="en", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def annual(year: int, locale: str, out: str) -> None:
    """Write the annual impact report of YEAR as a PDF."""
    if year not in query.years():  # a year far off (99999) or without any figure yet
        raise click.BadParameter(
            gettext("There are no figures for the year %(year)s.", year=year), param_hint="YEAR"
        )
    pdf, digest = annual_pdf(year, locale)
    Path(out).write_bytes(pdf)
    click.echo(f"{out}: {len(pdf)} bytes, data hash {digest}")
