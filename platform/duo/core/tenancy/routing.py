"""Branch pages live under ``/<slug>/``: resolve the branch once per request.

One application-wide URL preprocessor pops the ``tenant`` argument of every branch route,
loads the branch (404 for an unknown or closed one) and activates its scope; ``url_for``
fills the argument back in from the current branch, so views never pass it by hand.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, g, has_request_context
from sqlalchemy import select
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


def tenant_by_slug(slug: str) -> Tenant | None:
    return db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()


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

    @app.url_defaults
    def _fill(endpoint: str, values: dict[str, Any]) -> None:
        if TENANT_ARG in values or not app.url_map.is_endpoint_expecting(endpoint, TENANT_ARG):
            return
        tenant = _get_current_tenant()
        if tenant is not None:
            values[TENANT_ARG] = tenant.slug

    @app.teardown_request
    def _release(exc: BaseException | None) -> None:
        token = g.pop("tenant_token", None)
        if token is not None:
            context.deactivate(token)
