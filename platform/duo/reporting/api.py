"""``/api/v1/hq/``: HQ's figures for BI tools, as JSON, exactly as suppressed as the pages.

Authenticated by an HQ API token (``Authorization: Bearer duohq_...``, made with
``duo tokens create --hq --name NAME``), or by a logged-in HQ user's session (so HQ staff can
open it in a browser). Anyone else: 401 (no credentials) or 404 (a coordinator). Errors are
JSON ``{"message": ..., "errors": {field: [...]}}`` in the caller's language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from duo.core import openapi
from duo.core.auth import access
from duo.core.extensions import csrf
from duo.core.validation import CONTROL_CHARACTERS
from duo.reporting import filters, query, tables, tokens
from duo.reporting.query import ALL_GEO, YEAR
from duo.reporting.schemas import ApiErrorSchema, IndicatorQuerySchema, IndicatorsSchema
from duo.reporting.suppression import Value

api_bp = Blueprint("hq_api", __name__, url_prefix="/api/v1/hq")
csrf.exempt(api_bp)


def _error(status: int, message: str, errors: dict[str, list[str]] | None = None) -> Response:
    response = jsonify({"message": message, "errors": errors or {}})
    response.status_code = status
    return response


@api_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    if exc.code == 400 and exc.description == CONTROL_CHARACTERS:
        return _error(
            400, _("A value of the query holds a character that is not allowed (such as NUL).")
        )
    messages = {
        400: _("This request could not be understood."),
        401: _("An HQ API token is needed (Authorization: Bearer ...)."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
    }
    return _error(exc.code or 500, messages.get(exc.code or 500, _("Something went wrong.")))


def hq_token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """HQ access for the API: a valid HQ token, or a logged-in HQ user; else 401 / 404."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            if tokens.check(header[7:].strip()) is None:
                abort(401)
            return view(*args, **kwargs)
        if not current_user.is_authenticated:
            abort(401)
        if not current_user.is_hq:
            abort(404)
        return view(*args, **kwargs)

    setattr(wrapper, access.ATTR, access.HQ)
    return wrapper


def _figure(value: Value) -> dict[str, object]:
    if value.suppressed:
        return {"value": None, "people": None, "suppressed": True}
    shown = None if value.value is None else round(value.value, 2)
    return {"value": shown, "people": value.n, "suppressed": False}


def _by_reason(year: int, every: list) -> Callable[[tuple], list[dict[str, object]]]:
    """Stopped duos by kind of reason, of any place, hidden as HQ's table hides them
    (worked out once for every place)."""
    shown = tables.category_values(
        year, every, "reason", ["duos.stopped"], list(tables.STOP_REASONS)
    )["duos.stopped"]

    def of(geo: tuple) -> list[dict[str, object]]:
        return [
            {
                "category": category,
                "name": tables.category_label("reason", category),
                "year": _figure(shown[(category, geo)]),
            }
            for category in tables.STOP_REASONS
        ]

    return of


@api_bp.route("/indicators")
@hq_token_required
def indicators() -> Response:
    """Every indicator for a year, per branch, country and overall, by month and quarter."""
    errors = IndicatorQuerySchema().validate(request.args)
    if errors:
        return _error(
            400,
            _("Some parameters are not valid."),
            {k: [str(m) for m in v] for k, v in errors.items()},
        )
    chosen = filters.parse(request.args)
    if chosen.problems:
        return _error(400, _("Some parameters are not valid."), {"query": chosen.problems})
    every = query.branches()
    cubes = query.cubes(chosen.year, every)
    geos: list[tuple] = [("b", b.id) for b in chosen.places]
    if not chosen.branch:
        geos += [("c", c) for c in sorted({b.country for b in chosen.places})]
        if not chosen.country:
            geos.append(ALL_GEO)
    locale = str(get_locale())
    names = {b.id: b for b in every}
    by_reason = _by_reason(chosen.year, every)
    out = []
    for key, cube in cubes.items():
        places = []
        for geo in geos:
            if geo[0] == "b":
                level, code, name = "branch", names[geo[1]].slug, names[geo[1]].name(locale)
            elif geo[0] == "c":
                level, code, name = "country", geo[1], geo[1].upper()
            else:
                level, code, name = "all", "all", _("All branches")
            place = {
                "level": level,
                "code": code,
                "name": name,
                "year": _figure(cube.get(geo, YEAR)),
                "quarters": [_figure(cube.get(geo, ("q", q))) for q in range(1, 5)],
                "months": [_figure(cube.get(geo, ("m", m))) for m in range(1, 13)],
            }
            if key == "duos.stopped":
                place["categories"] = by_reason(geo)
            places.append(place)
        item = cube.indicator
        out.append(
            {
                "key": key,
                "title": str(item.title),
                "section": item.section,
                "kind": item.kind,
                "unit": str(item.unit) if item.unit else None,
                "definition_url": url_for("hq.definition", key=key, _external=True),
                "places": places,
            }
        )
    digest = hashlib.sha256(
        "".join(sorted(r.data_hash for r in query.refreshed().values())).encode()
    ).hexdigest()
    body = {
        "year": chosen.year,
        "country": chosen.country,
        "branch": chosen.branch,
        "suppression_threshold": query.threshold(),
        "data_hash": digest,
        "indicators": out,
    }
    return jsonify(IndicatorsSchema().dump(body))


for _name, _schema in {
    "IndicatorQuery": IndicatorQuerySchema,
    "Indicators": IndicatorsSchema,
    "HqError": ApiErrorSchema,
}.items():
    openapi.register_schema(_name, _schema)

openapi.register_path(
    "/api/v1/hq/indicators",
    {
        "get": {
            "operationId": "hqIndicators",
            "summary": "Every indicator for a year, per branch, country and overall",
            "description": (
                "The figures HQ's pages show, suppressed the same way: a figure over fewer "
                "than `suppression_threshold` people, or one that would reveal such a "
                "figure, has `value` and `people` null and `suppressed` true. Needs "
                "`Authorization: Bearer <token>` with a token from "
                "`duo tokens create --hq --name NAME`."
            ),
            "security": [{"hqToken": []}],
            "parameters": [{"in": "query", "schema": IndicatorQuerySchema}],
            "responses": {
                "200": openapi.json_response("Indicators", "The figures."),
                "400": openapi.json_response("HqError", "An unknown year, country or branch."),
                "401": openapi.json_response("HqError", "No valid HQ API token."),
            },
        }
    },
)
