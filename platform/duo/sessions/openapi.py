"""The OpenAPI 3.1 description of the public API, generated from the marshmallow schemas.

The schemas are the single source: a field added to :mod:`duo.sessions.schemas` appears
here without anyone editing a second file. The paths are written out by hand, as they
carry the prose a website developer reads.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from duo.sessions import schemas

COMPONENTS: list[type[Schema]] = [
    schemas.SessionSchema,
    schemas.SignupSchema,
    schemas.SignupResultSchema,
    schemas.PrivacyNoticeSchema,
    schemas.PersonSchema,
    schemas.RegistrationSchema,
    schemas.ErrorSchema,
]


def _name(schema: Schema | type[Schema]) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__.removesuffix("Schema")


def _ref(schema: Schema | type[Schema]) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{_name(schema)}"}


def field_schema(field: fields.Field) -> dict[str, Any]:
    if isinstance(field, fields.Nested):
        out: dict[str, Any] = _ref(field.nested)  # type: ignore[arg-type]
        if field.many:
            out = {"type": "array", "items": out}
    elif isinstance(field, fields.List):
        out = {"type": "array", "items": field_schema(field.inner)}
    elif isinstance(field, fields.Dict):
        value = field.value_field
        out = {"type": "object", "additionalProperties": field_schema(value) if value else {}}
    elif isinstance(field, fields.UUID):
        out = {"type": "string", "format": "uuid"}
    elif isinstance(field, fields.DateTime):
        out = {"type": "string", "format": "date-time"}
    elif isinstance(field, fields.Url):
        out = {"type": "string", "format": "uri"}
    elif isinstance(field, fields.Email):
        out = {"type": "string", "format": "email"}
    elif isinstance(field, fields.String):
        out = {"type": "string"}
    elif isinstance(field, fields.Integer):
        out = {"type": "integer"}
    elif isinstance(field, fields.Boolean):
        out = {"type": "boolean"}
    else:
        out = {}
    for validator in getattr(field, "validators", []):
        if isinstance(validator, validate.OneOf):
            out["enum"] = list(validator.choices)
        elif isinstance(validator, validate.Equal):
            out["const"] = validator.comparable
        elif isinstance(validator, validate.Length):
            if validator.min is not None:
                out["minLength"] = validator.min
            if validator.max is not None:
                out["maxLength"] = validator.max
        elif isinstance(validator, validate.Range):
            if validator.min is not None:
                out["minimum"] = validator.min
            if validator.max is not None:
                out["maximum"] = validator.max
        elif isinstance(validator, validate.Regexp):
            out["pattern"] = validator.regex.pattern
        elif getattr(validator, "max_length", None) is not None:
            out["maxLength"] = validator.max_length
    metadata = dict(field.metadata)
    if "format" in metadata:
        out["format"] = metadata.pop("format")
    if "description" in metadata:
        out["description"] = metadata.pop("description")
    if field.allow_none:
        if "$ref" in out:
            out = {"anyOf": [out, {"type": "null"}]}
        elif "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
    if field.dump_only:
        out["readOnly"] = True
    if field.load_only:
        out["writeOnly"] = True
    return out


def schema_object(schema_cls: type[Schema]) -> dict[str, Any]:
    schema = schema_cls()
    properties = {}
    required = []
    for name, field in schema.fields.items():
        key = field.data_key or name
        properties[key] = field_schema(field)
        if field.required:
            required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    if schema_cls.__doc__:
        out["description"] = " ".join(schema_cls.__doc__.split())
    if getattr(schema_cls.Meta, "unknown", None) == "raise" and schema_cls is schemas.SignupSchema:
        out["additionalProperties"] = False
    return out


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _error(description: str) -> dict[str, Any]:
    return _json("Error", description)


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


def build_spec(server_url: str = "/") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "DUO for a JOB — information sessions",
            "version": "1.0.0",
            "description": (
                "Lets the organisation's website show a branch's upcoming information "
                "sessions and sign people up for them. Sign-ups need the person's explicit "
                "consent to the privacy notice (GET privacy-notice, show it, send its "
                "version). Messages follow the `locale` field or the Accept-Language header. "
                "Public endpoints allow cross-origin calls; they are rate limited."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
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
        },
        "components": {"schemas": {_name(cls): schema_object(cls) for cls in COMPONENTS}},
    }
