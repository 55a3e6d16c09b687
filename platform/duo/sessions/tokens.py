"""The personal link of a registration: signed, not stored.

The token holds the branch and the registration id, signed with the app's secret
(itsdangerous), so every mail about the registration can carry the same link again
without keeping a secret per person. A token that does not verify, names another branch
or a registration that no longer exists is simply not found.
"""

from __future__ import annotations

import uuid

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "duo.sessions.registration-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def make_token(tenant_id: int, registration_id: uuid.UUID) -> str:
    return _serializer().dumps([tenant_id, registration_id.hex])


def read_token(token: str, tenant_id: int) -> uuid.UUID | None:
    """The registration id in ``token``, if it is genuine and for this branch."""
    if not token or len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and value[0] == tenant_id):
        return None
    try:
        return uuid.UUID(hex=str(value[1]))
    except ValueError:
        return None
