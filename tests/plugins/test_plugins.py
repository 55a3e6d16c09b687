"""Registrations as data: what each package declares in its plugin.py, read by the factory."""

from __future__ import annotations

import pytest
from flask import Flask

from duo.app import capabilities, plugins
from duo.core.hooks import Event, Hook
from duo.core.jobs import registered
from duo.core.plugins import NAVIGATION, NavItem, Plugin, install


def test_navigation_orders_are_distinct_and_follow_the_method(app: Flask) -> None:
    with app.app_context():
        items = sorted(NAVIGATION.items(), key=lambda i: i.order)
    assert [i.endpoint for i in items] == [
        "dashboard.index",
        "sessions.index",
        "people.index",
        "training.index",
        "matching.index",
        "duos.index",
        "mail.outbox",
        "people.import_upload",
        "reporting.branch",
    ]
    assert len({i.order for i in items}) == len(items)


def test_every_job_is_listed_by_the_package_that_runs_it(app: Flask) -> None:
    listed = {func.job_name for _name, plugin in plugins() for func in plugin.jobs}
    # (test modules register jobs of their own: only the application's count here)
    ours = {name for name, spec in registered().items() if spec.func.__module__.startswith("duo.")}
    assert listed == ours


def test_two_navigation_entries_with_one_order_are_refused() -> None:
    plugins = [
        ("a", Plugin(navigation=[NavItem("a.index", "A", 10)])),
        ("b", Plugin(navigation=[NavItem("b.index", "B", 10)])),
    ]
    with pytest.raises(ValueError, match="order 10"):
        install(Flask("t"), plugins, lambda funcs: set())


def test_a_listed_job_that_is_no_job_is_refused() -> None:
    def not_a_job() -> None: ...

    with pytest.raises(ValueError, match="not_a_job"):
        install(Flask("t"), [("a", Plugin(jobs=[not_a_job]))], lambda funcs: set())


def test_every_declaration_is_read_in_the_factory_order() -> None:
    names = [name for name, _plugin in plugins()]
    order = capabilities()
    assert names == sorted(names, key=order.index)
    # every package with pages declares them; the ones without a plugin add only models
    assert {"core.dashboard", "sessions", "intake", "training", "matching", "duos"} <= set(names)


def test_hooks_belong_to_one_app() -> None:
    said = Event("test.said")
    asked: Hook[str] = Hook("test.asked")
    first, second = Flask("first"), Flask("second")
    install(first, [("a", Plugin(listeners=[(said, lambda x: x * 2)]))], lambda funcs: set())
    install(second, [("b", Plugin(providers=[(asked, "only here")]))], lambda funcs: set())
    with first.app_context():
        assert said.emit(21) == [42]
        assert asked.one() is None
    with second.app_context():
        assert said.emit(21) == []
        assert asked.one() == "only here"


def test_a_single_provider_hook_refuses_two() -> None:
    asked: Hook[str] = Hook("test.asked")
    app = Flask("t")
    install(app, [("a", Plugin(providers=[(asked, "x"), (asked, "y")]))], lambda funcs: set())
    with app.app_context(), pytest.raises(RuntimeError, match="one provider"):
        asked.one()


def test_importing_a_job_module_registers_nothing() -> None:
    """A job is runnable because a plugin lists it, not because its module was imported."""
    import subprocess
    import sys

    code = (
        "import duo.training.jobs, duo.core.mail.jobs\n"
        "from duo.core.jobs import registered\n"
        "print(sorted(registered()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_a_listed_job_is_registered_by_the_factory(app) -> None:
    from duo.core.jobs import registered
    from duo.training.jobs import send_reminders

    assert registered()[send_reminders.job_name].func is send_reminders
