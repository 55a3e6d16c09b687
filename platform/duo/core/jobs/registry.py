"""Job descriptions and the registry of runnable jobs.

``@job(name)`` describes a function (its stable name, attempts, failure hook); the app
factory makes the functions the packages list in their ``plugin.py`` runnable
(:func:`register_jobs`). The outbox looks names up here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., Any]
    max_attempts: int
    #: Called in a fresh transaction, in the job's branch, after a failed attempt:
    #: ``on_failure(args, error, attempts, next_attempt_at or None when final)``.
    on_failure: Callable[..., None] | None = None


_registry: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    max_attempts: int = 8,
    on_failure: Callable[..., None] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a job function: its stable name (rows in the outbox refer to it), attempts
    and failure hook. Describing registers nothing: a package lists its jobs in its
    ``plugin.py`` and the app factory registers them (:func:`register_jobs`)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        func.job_spec = JobSpec(name, func, max_attempts, on_failure)
        func.job_name = name
        return func

    return decorator


def register_jobs(funcs: Iterable[Callable[..., Any]]) -> None:
    """Make described job functions runnable. The same name twice must be the same
    function (a new app in the same process registers its packages again)."""
    for func in funcs:
        spec = getattr(func, "job_spec", None)
        if spec is None:
            raise ValueError(f"{func!r} is not a job: describe it with @job(name)")
        known = _registry.get(spec.name)
        if (
            known is not None
            and known.func is not func
            and (
                known.func.__module__,
                known.func.__qualname__,
            )
            != (func.__module__, func.__qualname__)
        ):
            raise ValueError(f"job name {spec.name!r} used by {known.func!r} and {func!r}")
        _registry[spec.name] = spec


def registered() -> dict[str, JobSpec]:
    return dict(_registry)
