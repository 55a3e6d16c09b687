"""The one error the sessions domain raises: a translated message and the field it concerns."""

from __future__ import annotations


class SessionError(ValueError):
    """Something a coordinator (or a candidate) must correct; ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
