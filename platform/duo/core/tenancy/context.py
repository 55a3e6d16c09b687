"""Which branch the current unit of work belongs to.

One context variable holds it, set per request from the URL prefix, and by CLI commands
and jobs for the branch they work on. The ORM filter (:mod:`duo.core.tenancy.scoping`) and the
PostgreSQL row-level security setting (:mod:`duo.core.tenancy.rls`) both read it, so a forgotten
filter in one layer is still caught by the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class NoTenantError(RuntimeError):
    """A branch-owned table was queried with no branch selected: we refuse rather than leak."""


class CrossTenantWriteError(RuntimeError):
    """A row of one branch was about to be written while working for another."""


@dataclass(frozen=True)
class Scope:
    """``tenant_id`` for one branch, or none (then no branch-owned row is visible).

    There is no scope across branches: HQ reads rollups (:mod:`duo.reporting`), which jobs
    compute inside each branch's own scope.
    """

    tenant_id: int | None = None


_NO_SCOPE = Scope()
_scope: ContextVar[Scope] = ContextVar("duo_tenant_scope", default=_NO_SCOPE)
_listeners: list = []


def current_scope() -> Scope:
    return _scope.get()


def current_tenant_id() -> int | None:
    return _scope.get().tenant_id


def require_tenant_id() -> int:
    tenant_id = _scope.get().tenant_id
    if tenant_id is None:
        raise NoTenantError("no branch is selected for this unit of work")
    return tenant_id


def on_scope_change(listener) -> None:  # noqa: ANN001
    """Register a callback run after every scope change (RLS re-applies its setting)."""
    _listeners.append(listener)


def _set(scope: Scope):  # noqa: ANN202
    token = _scope.set(scope)
    for listener in _listeners:
        listener(scope)
    return token


def _reset(token) -> None:  # noqa: ANN001
    _scope.reset(token)
    for listener in _listeners:
        listener(_scope.get())


def activate(tenant_id: int | None):  # noqa: ANN201
    """Select a branch for the rest of this context; returns a token for :func:`deactivate`."""
    return _set(Scope(tenant_id=tenant_id))


def deactivate(token) -> None:  # noqa: ANN001
    _reset(token)


@contextmanager
def tenant_scope(tenant_id: int | None) -> Iterator[None]:
    """Work for one branch inside the block (CLI commands, jobs, tests)."""
    token = _set(Scope(tenant_id=tenant_id))
    try:
        yield
    finally:
        _reset(token)
