"""The information-session API's entry in the OpenAPI description (:mod:`duo.core.openapi`).

The shapes come from :mod:`duo.sessions.schemas` through apispec; only the paths, with the
prose a website developer reads, are written here.
"""

from __future__ import annotations

from typing import Any

from duo.core.openapi import json_response, ref, register_path, register_schema
from duo.sessions import schemas

COMPONENTS = {
    "Session": schemas.SessionSchema,
    "Signup": schemas.SignupSchema,
    "SignupResult": schemas.SignupResultSchema,
    "PrivacyNotice": schemas.PrivacyNoticeSchema,
    "Person": schemas.PersonSchema,
    "Registration": schemas.RegistrationSchema,
    "Error": schemas.ErrorSchema,
}


def _json(schema: str, description: str) -> dict[str, Any]:
    return json_response(schema, description)


def _error(description: str) -> dict[str, Any]:
    return _json("Error", description)


def _ref(schema: type) -> dict[str, str]:
    name = next(k for k, v in COMPONENTS.items() if v is schema)
    return ref(name)


TENANT = {
    "name": "tenant",
    "in": "path",
    "required": True,
    "description": "The branch's slug, e.g. brussels, antwerp, paris.",
    "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"},
}
SESSION_ID = {
    "name": "session_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}
LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Language of the messages, among the branch's (en, fr, nl).",
    "schema": {"type": "string"},
}


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/{tenant}/sessions": {
        "get": {
            "operationId": "listSessions",
            "summary": "Upcoming information sessions of a branch",
            "parameters": [
                TENANT,
                {
                    "name": "audience",
                    "in": "query",
                    "required": False,
                    "description": "Only the sessions open to mentors or to mentees.",
                    "schema": {"type": "string", "enum": ["mentor", "mentee"]},
                },
                {
                    "name": "language",
                    "in": "query",
                    "required": False,
                    "description": "Only the sessions held in this language.",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "The sessions, soonest first (cancelled ones left out).",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "sessions": {
                                        "type": "array",
                                        "items": _ref(schemas.SessionSchema),
                                    }
                                },
                                "required": ["sessions"],
                            }
                        }
                    },
                },
                "400": _error("An unknown audience."),
                "404": _error("No such branch."),
            },
        }
    },
    "/api/v1/{tenant}/sessions/{session_id}": {
        "get": {
            "operationId": "getSession",
            "summary": "One session (also past or cancelled ones)",
            "parameters": [TENANT, SESSION_ID],
            "responses": {
                "200": _json("Session", "The session."),
                "404": _error("No such session in this branch."),
            },
        }
    },
    "/api/v1/{tenant}/privacy-notice": {
        "get": {
            "operationId": "getPrivacyNotice",
            "summary": "The privacy notice to show before asking for consent",
            "parameters": [
                TENANT,
                {
                    "name": "locale",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["en", "fr", "nl"]},
                },
                LANGUAGE,
            ],
            "responses": {
                "200": _json("PrivacyNotice", "The notice and its version."),
                "404": _error("No such branch."),
            },
        }
    },
    "/api/v1/{tenant}/signups": {
        "post": {
            "operationId": "signUp",
            "summary": "Sign a person up for a session (or its waiting list)",
            "description": (
                "Sending the same person (same e-mail address and audience) for the "
                "same session again creates nothing and answers exactly as the first "
                "time (201), so the answer never tells whether an address is known. "
                "A full session needs `waitlist: true`. The "
                "person receives a confirmation e-mail with a calendar invitation "
                "and a personal link to cancel."
            ),
            "parameters": [TENANT, LANGUAGE],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(schemas.SignupSchema)}},
            },
            "responses": {
                "201": _json("SignupResult", "Registered, or on the waiting list."),
                "400": _error("Invalid input: messages per field; nothing was saved."),
                "404": _error("No such branch."),
                "429": _error("Too many sign-ups from this address; wait a minute."),
            },
        }
    },
    "/api/v1/{tenant}/sessions/{session_id}/registrations": {
        "get": {
            "operationId": "listRegistrations",
            "summary": "Who signed up (coordinators of the branch only)",
            "description": "Personal data: needs a logged-in coordinator's session.",
            "parameters": [TENANT, SESSION_ID],
            "responses": {
                "200": {
                    "description": "The registrations, in sign-up order.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "registrations": {
                                        "type": "array",
                                        "items": _ref(schemas.RegistrationSchema),
                                    }
                                },
                                "required": ["registrations"],
                            }
                        }
                    },
                },
                "401": _error("Not logged in."),
                "404": _error("No such session, or not a coordinator of this branch."),
            },
        }
    },
}


for _name, _schema in COMPONENTS.items():
    register_schema(_name, _schema)
for _path, _operations in PATHS.items():
    register_path(_path, _operations)
