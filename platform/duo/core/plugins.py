"""What a package adds to the application, declared as data in one place.

Every package the factory reads (``duo.app.CORE``, ``CAPABILITIES``, ``CONSUMERS``) may
have a ``plugin.py`` holding one ``PLUGIN = Plugin(...)``: its blueprints, navigation
entries, dashboard to-dos, jobs, periodic jobs, event listeners, providers for the hooks of
earlier packages, and CLI commands. Reading that one file tells a newcomer everything the
package plugs in; nothing is registered by merely importing a module.

This module also holds the small types those declarations are made of (:class:`NavItem`,
:class:`Periodic`, :class:`Todo`, :class:`Card`) and the hooks of the core's own frame, so
that it depends on nothing else of the core (the navigation, the dashboard and the
scheduler read these hooks). :func:`install` applies the plugins to an app in the factory's
order and refuses what must be unique and is not (navigation order numbers, periodic ids).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import click
from flask import Blueprint, Flask

from duo.core import hooks
from duo.core.hooks import Event, Hook

# --------------------------------------------------------------------------- navigation


@dataclass(frozen=True)
class NavItem:
    """An entry of a branch's navigation; ``order`` is unique across the app."""

    endpoint: str
    label: object
    order: int


NAVIGATION: Hook[NavItem] = Hook("navigation", "Entries of a branch's navigation.")

# --------------------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class Todo:
    """One line of "what to do next" on a branch's overview (see duo.core.dashboard.todos)."""

    label: str
    count: int
    url: str | None = None
    urgency: int = 50  # 0 = most urgent

    @property
    def parts(self) -> tuple[str, str, str]:
        """The label split around its count: (before, number, after), to show it in bold.

        When the label does not contain the count, the whole label is in ``before``.
        """
        label = str(self.label)
        match = re.search(rf"(?<!\d){self.count}(?!\d)", label)
        if match is None:
            return label, "", ""
        return label[: match.start()], match.group(), label[match.end() :]


@dataclass(frozen=True)
class Card:
    """A headline figure of the branch overview (e.g. "Mentors 12")."""

    label: object
    value: int


#: ``(tenant) -> list[Todo]``.
TODOS: Hook[Callable[[Any], list[Todo]]] = Hook("dashboard.todos", "What to do next.")
#: ``() -> list[Card]``: the figures of the overview page (a query each, at most).
CARDS: Hook[Callable[[], list[Card]]] = Hook("dashboard.cards", "Figures of the overview.")

# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class Periodic:
    """A job run on a fixed rhythm; ``id`` is stable (it keys the runs in the outbox)."""

    id: str
    job: str
    every: timedelta


PERIODIC: Hook[Periodic] = Hook("jobs.periodic", "Jobs run on a fixed rhythm.")

# --------------------------------------------------------------------------- plugins


@dataclass(frozen=True)
class Plugin:
    """Everything one package adds to the app (every field is optional)."""

    blueprints: Sequence[Blueprint] = ()
    navigation: Sequence[NavItem] = ()
    #: ``(tenant) -> list[Todo]`` functions for the branch overview.
    todos: Sequence[Callable[[Any], list[Todo]]] = ()
    #: Job functions (decorated with :func:`duo.core.jobs.job`), listed so they are known.
    jobs: Sequence[Callable[..., Any]] = ()
    periodic: Sequence[Periodic] = ()
    #: ``(event, listener)``: called when an earlier package emits the event.
    listeners: Sequence[tuple[Event, Callable[..., Any]]] = ()
    #: ``(hook, provider)``: what this package answers when an earlier one asks.
    providers: Sequence[tuple[Hook[Any], Any]] = ()
    commands: Sequence[click.Command] = ()
    #: ``(app) -> None``, called once per app: for what cannot be declared as data (e.g.
    #: SQLAlchemy's process-wide session listeners, which must be idempotent).
    on_install: Sequence[Callable[[Flask], None]] = ()

    def hook_pairs(self) -> list[tuple[Hook[Any], Any]]:
        return [
            *((NAVIGATION, item) for item in self.navigation),
            *((TODOS, func) for func in self.todos),
            *((PERIODIC, item) for item in self.periodic),
            *self.listeners,
            *self.providers,
        ]


def _unique(items: Iterable[Any], attr: str, what: str) -> None:
    seen: dict[object, Any] = {}
    for item in items:
        key = getattr(item, attr)
        if key in seen:
            raise ValueError(f"{what} {attr} {key!r} declared twice: {seen[key]} and {item}")
        seen[key] = item


def install(
    app: Flask,
    plugins: Iterable[tuple[str, Plugin]],
    register_jobs: Callable[[Iterable[Callable[..., Any]]], set[str]],
) -> None:
    """Register ``(package name, plugin)`` pairs on ``app``, in the given order.

    ``register_jobs`` makes the listed job functions runnable and returns every job name
    known: a listed function that is not a job, or a periodic job that names no known
    job, is a mistake of the declarations, refused here rather than at 3 a.m.
    """
    plugins = list(plugins)
    known_jobs = register_jobs([func for _, plugin in plugins for func in plugin.jobs])
    pairs: list[tuple[Hook[Any], Any]] = []
    for name, plugin in plugins:
        for blueprint in plugin.blueprints:
            app.register_blueprint(blueprint)
        for command in plugin.commands:
            app.cli.add_command(command)
        for func in plugin.jobs:
            if getattr(func, "job_name", None) not in known_jobs:
                raise ValueError(f"{name}: {func!r} is listed as a job but is not one")
        for item in plugin.periodic:
            if item.job not in known_jobs or item.every <= timedelta(0):
                raise ValueError(f"{name}: periodic job {item.id!r} is not runnable")
        for setup in plugin.on_install:
            setup(app)
        pairs.extend(plugin.hook_pairs())
    navigation = [item for hook, item in pairs if hook is NAVIGATION]
    _unique(navigation, "endpoint", "navigation")
    _unique(navigation, "order", "navigation")
    _unique((item for hook, item in pairs if hook is PERIODIC), "id", "periodic job")
    hooks.install(app, pairs)
