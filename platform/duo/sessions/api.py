"""The JSON API the organisation's website embeds: sessions, privacy notice, sign-up.

Public endpoints answer any origin (CORS, no cookies needed) and are rate limited like
the sign-up page; the one staff endpoint (registrations of a session) needs a logged-in
coordinator of the branch and answers 404 to anyone else. Errors are JSON:
``{"message": ..., "errors": {field: [messages]}}`` in the caller's language.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

import duo.sessions.openapi  # noqa: F401  (registers the sessions API's paths)
from duo.core.auth.access import PUBLIC, access_of, coordinator_required, public
from duo.core.extensions import csrf, limiter
from duo.core.mail import external_url
from duo.core.openapi import build_spec
from duo.core.tenancy.models import Tenant
from duo.core.vocab.locales import LOCALES
from duo.sessions import domain, privacy_notice
from duo.sessions.models import (
    ACTIVE,
    CANCELLED,
    FOR_MENTEES,
    FOR_MENTORS,
    WAITLISTED,
    InfoSession,
)
from duo.sessions.schemas import (
    PrivacyNoticeSchema,
    RegistrationSchema,
    SessionSchema,
    SignupResultSchema,
    SignupSchema,
)
from duo.sessions.signup import SIGNUP_LIMIT, SignupRequest, sign_up

api_bp = Blueprint("sessions_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)

#: Domain fields that have another name in the API.
_API_FIELD = {"session": "session_id"}


def texts(value: Any) -> Any:
    """Error messages (lazy strings, nested) as plain strings for JSON, a list per field.

    Marshmallow keeps a lazily translated message as it is rather than in a list, so a
    lone message is wrapped here: clients always read ``errors[field]`` as a list.
    """
    if isinstance(value, dict):
        return {
            str(k): texts(v) if isinstance(v, dict | list | tuple) else [str(v)]
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [texts(v) for v in value]
    return str(value)


def _error(status: int, message: str, errors: dict[str, Any] | None = None) -> Response:
    response = jsonify({"message": message, "errors": texts(errors or {})})
    response.status_code = status
    return response


def api_locale(requested: object = None) -> str:
    """The caller's language among the branch's: the body's ``locale``, else the header."""
    tenant = g.get("tenant")
    offered = [loc for loc in (tenant.locales if tenant else LOCALES) if loc in LOCALES]
    if isinstance(requested, str) and requested in offered:
        return requested
    return request.accept_languages.best_match(offered) or offered[0]


@api_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    with force_locale(api_locale()):
        messages = {
            400: _("This request could not be understood."),
            401: _("Log in as a coordinator of this branch."),
            404: _("Not found."),
            405: _("This action is not allowed here."),
            429: _("Too many attempts. Please wait a minute and try again."),
        }
        return _error(exc.code or 500, messages.get(exc.code or 500, _("Something went wrong.")))


@api_bp.after_request
def _cors(response: Response) -> Response:
    """Any website may call the public endpoints; they need and accept no cookies."""
    view = current_app.view_functions.get(request.endpoint or "")
    if access_of(view) == PUBLIC:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept-Language"
        response.headers["Access-Control-Max-Age"] = "3600"
        response.vary.add("Accept-Language")
    return response


def session_payload(session: InfoSession, figures: domain.Figures, tenant: Tenant) -> dict:
    zone = ZoneInfo(tenant.timezone)
    params: dict[str, str] = {"session": str(session.id)}
    if session.audience == FOR_MENTORS:
        params["audience"] = "mentor"
    elif session.audience == FOR_MENTEES:
        params["audience"] = "mentee"
    return {
        "id": session.id,
        "starts_at": session.starts_at.astimezone(zone),
        "ends_at": session.ends_at.astimezone(zone),
        "timezone": tenant.timezone,
        "duration_minutes": session.duration_minutes,
        "language": session.language,
        "audience": session.audience,
        "place": session.place,
        "online": session.is_online,
        "capacity": session.capacity,
        "seats_left": figures.seats_left,
        "full": figures.full,
        "waitlist": figures.waitlisted,
        "cancelled": session.is_cancelled,
        "signup_url": external_url("join.join", tenant=tenant.slug, **params),
    }


@api_bp.route("/openapi.json")
@public
def openapi() -> Response:
    response = jsonify(build_spec())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@api_bp.route("/<tenant>/sessions")
@public
def list_sessions() -> Response:
    audience = request.args.get("audience")
    if audience not in (None, "", "mentor", "mentee"):
        with force_locale(api_locale()):
            errors = {"audience": [_("Choose “mentor” or “mentee”.")]}
            return _error(400, _("Invalid input."), errors)
    sessions = domain.upcoming_sessions(role=audience or None)
    language = request.args.get("language")
    if language:
        sessions = [s for s in sessions if s.language == language]
    figures = domain.figures_for(sessions)
    schema = SessionSchema(many=True)
    return jsonify(
        {"sessions": schema.dump([session_payload(s, figures[s.id], g.tenant) for s in sessions])}
    )


@api_bp.route("/<tenant>/sessions/<uuid:session_id>")
@public
def get_session(session_id: uuid.UUID) -> Response:
    session = domain.get_session(session_id)
    if session is None:
        abort(404)
    figures = domain.figures_for([session])[session.id]
    return jsonify(SessionSchema().dump(session_payload(session, figures, g.tenant)))


@api_bp.route("/<tenant>/privacy-notice")
@public
def get_privacy_notice() -> Response:
    locale = api_locale(request.args.get("locale"))
    with force_locale(locale):
        body = {
            "version": privacy_notice.version(),
            "locale": locale,
            "paragraphs": privacy_notice.paragraphs(g.tenant, locale),
        }
    return jsonify(PrivacyNoticeSchema().dump(body))


def figures_as_if_new(figures: domain.Figures, status: str) -> domain.Figures:
    """A repeated sign-up's answer shows the figures a new one would have left."""
    if status == WAITLISTED:
        return dataclasses.replace(figures, waitlisted=figures.waitlisted + 1)
    return dataclasses.replace(figures, registered=figures.registered + 1)


@api_bp.route("/<tenant>/signups", methods=["POST"])
@public
@limiter.shared_limit(SIGNUP_LIMIT, scope="signup", methods=["POST"])
def signup() -> Response:
    payload = request.get_json(silent=True)
    requested = payload.get("locale") if isinstance(payload, dict) else None
    locale = api_locale(requested)
    with force_locale(locale):
        if not isinstance(payload, dict):
            return _error(400, _("Send a JSON object."))
        try:
            data = SignupSchema().load(payload)
        except ValidationError as exc:
            return _error(400, _("Invalid input."), exc.messages)
        version = data.get("privacy_notice_version")
        if version and version != privacy_notice.version():
            return _error(
                400,
                _("Invalid input."),
                {
                    "privacy_notice_version": [
                        _("The privacy notice has changed: show the current one and ask again.")
                    ]
                },
            )
        req = SignupRequest(
            session_id=data["session_id"],
            role=data["audience"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data.get("phone"),
            birth_year=data["birth_year"],
            heard_from=data.get("heard_from"),
            waitlist=data.get("waitlist", False),
            consent=data["consent"],
            locale=locale,
        )
        try:
            result = sign_up(req, tenant=g.tenant)
        except domain.SessionError as exc:
            field = _API_FIELD.get(exc.field or "", exc.field or "_schema")
            return _error(400, _("Invalid input."), {field: [exc.message]})
        session = domain.get_session(req.session_id)
        figures = domain.figures_for([session])[session.id]
        if not result.created:  # counted as a new sign-up would be: the same answer
            figures = figures_as_if_new(figures, result.status)
        body = SignupResultSchema().dump(
            {
                "status": result.status,
                "session": session_payload(session, figures, g.tenant),
            }
        )
    # The same answer for a new and a repeated sign-up: otherwise anyone could learn
    # whether an address joined a programme for young people with a migrant background.
    response = jsonify(body)
    response.status_code = 201
    return response


@api_bp.route("/<tenant>/sessions/<uuid:session_id>/registrations")
@coordinator_required  # anonymous callers get a JSON 401, others 404
def registrations(session_id: uuid.UUID) -> Response:
    session = domain.get_session(session_id)
    if session is None:
        abort(404)
    regs = domain.registrations_of(session, statuses=[*ACTIVE, CANCELLED])
    return jsonify({"registrations": RegistrationSchema(many=True).dump(regs)})
