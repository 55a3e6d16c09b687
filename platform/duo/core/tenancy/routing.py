"""Branch pages live under ``/<slug>/``: resolve the branch once per request.

One application-wide URL preprocessor pops the ``tenant`` argument of every branch route,
loads the branch (404 for an unknown or closed one) and activates its scope; ``url_for``
fills the argument back in from the current branch, so views never pass it by hand.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from flask import Flask, abort, current_app, g, has_request_context
from sqlalchemy import Select, Text, bindparam, cast, select
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.local import LocalProxy

from duo.core.db import db
from duo.core.tenancy import context
from duo.core.tenancy.models import Tenant

TENANT_ARG = "tenant"


def _get_current_tenant() -> Tenant | None:
    if not has_request_context():
        return None
    return g.get("tenant")


current_tenant: Tenant = LocalProxy(_get_current_tenant)


#: Columns stored as JSON: compared as the text the database holds, parsed only on a change.
_JSON_COLUMNS = frozenset({"name", "locales", "config"})
#: Where an app keeps the branches it has built: slug -> (row as read, Tenant).
_CACHE = "duo.branch_rows"


@cache
def _row_statement() -> Select:
    table = Tenant.__table__
    columns = [cast(c, Text).label(c.name) if c.name in _JSON_COLUMNS else c for c in table.c]
    return select(*columns).where(table.c.slug == bindparam("slug"))


def tenant_by_slug(slug: str) -> Tenant | None:
    """The branch of a URL, read on every branch request, parsed only when its row changed.

    Every request still reads the row (one small statement, so a branch closed or re-synced
    by another process counts at once), but compares it with the row its process last saw:
    building the :class:`Tenant` through the ORM and parsing its 19 KB of configuration cost
    about a millisecond a request, a third of an empty page. The object handed out is
    detached and shared by the process's requests: read it, never change it (branches
    change through ``duo tenants sync``, which writes its own rows).
    """
    row = db.session.connection().execute(_row_statement(), {"slug": slug}).first()
    if row is None:
        return None
    built: dict[str, tuple[tuple[Any, ...], Tenant]] = current_app.extensions.setdefault(_CACHE, {})
    seen = built.get(slug)
    if seen is not None and seen[0] == tuple(row):
        return seen[1]
    values = row._asdict()
    for name in _JSON_COLUMNS:
        if values[name] is not None:
            values[name] = json.loads(values[name])
    tenant = Tenant(**values)
    make_transient_to_detached(tenant)  # as if loaded: no pending change, never flushed
    built[slug] = (tuple(row), tenant)
    return tenant


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def _resolve(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if not values or TENANT_ARG not in values:
            return
        slug = values.pop(TENANT_ARG)
        tenant = tenant_by_slug(slug)
        if tenant is None or not tenant.active:
            abort(404)
        g.tenant = tenant
        g.tenant_token = context.activate(tenant.id)

    #: endpoint -> whether its URL has a branch: asked of every ``url_for`` (a list page
    #: builds a hundred), and fixed once the app serves (Flask refuses new routes then).
    expecting: dict[str, bool] = {}

    @app.url_defaults
    def _fill(endpoint: str, values: dict[str, Any]) -> None:
        if TENANT_ARG in values:
            return
        wants = expecting.get(endpoint)
        if wants is None:
            wants = app.url_map.is_endpoint_expecting(endpoint, TENANT_ARG)
            if app._got_first_request:
                expecting[endpoint] = wants
        if not wants:
            return
        tenant = _get_current_tenant()
        if tenant is not None:
            values[TENANT_ARG] = tenant.slug

    @app.teardown_request
    def _release(exc: BaseException | None) -> None:
        token = g.pop("tenant_token", None)
        if token is not None:
            context.deactivate(token)
