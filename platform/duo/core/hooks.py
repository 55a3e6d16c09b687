"""Hooks: the places where a later package plugs into an earlier one.

An earlier package (the core, or a capability earlier in the method) declares a
:class:`Hook` (something it asks for: a to-do provider, a filter of the candidates list) or
an :class:`Event` (something it announces: a duo moved a step); a later package names what
it plugs in there in its ``plugin.py`` (see :mod:`duo.core.plugins`). The earlier package
never imports the later one, so the layers stay one-way.

What is plugged in lives on the application (``app.extensions``), filled once by the
factory in its fixed order: two apps (tests make many) never share a registration, and
nothing is registered by importing a module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")

EXTENSION = "duo.hooks"


class Hook(Generic[T]):
    """A named slot; :meth:`items` gives what the app's packages put in it, in their order."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc or f"Hook {name}."

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def items(self) -> list[T]:
        """What the current app's packages plugged in here (empty when none did)."""
        installed: dict[Hook[Any], list[Any]] = current_app.extensions.get(EXTENSION, {})
        return list(installed.get(self, ()))

    def one(self) -> T | None:
        """The single item plugged in here, or None; two are a mistake of the declarations."""
        items = self.items()
        if len(items) > 1:
            raise RuntimeError(f"{self!r} takes one provider, got {len(items)}")
        return items[0] if items else None


class Event(Hook[Callable[..., Any]]):
    """Something that happened; every listener is called, in order, in the same transaction."""

    def emit(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every listener with the arguments; returns their results in order."""
        return [listener(*args, **kwargs) for listener in self.items()]


def install(app: Flask, pairs: Iterable[tuple[Hook[Any], Any]]) -> None:
    """Put ``(hook, item)`` pairs on ``app``, keeping their order (called by the factory)."""
    installed: dict[Hook[Any], list[Any]] = {}
    for hook, item in pairs:
        if not isinstance(hook, Hook):
            raise TypeError(f"{hook!r} is not a Hook (plugging in {item!r})")
        installed.setdefault(hook, []).append(item)
    app.extensions[EXTENSION] = installed
