"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import os

import pytest

CI = os.environ.get("CI", "").lower() == "true"
DATABASE_URL = os.environ.get("DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")


def need(condition: bool, reason: str) -> None:
    """Skip visibly on a developer's machine; fail under CI where everything must run."""
    if condition:
        return
    if CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)
