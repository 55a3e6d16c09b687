"""The periodic jobs: one schedule gathered from the packages' declarations, printable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from duo.core.jobs.schedule import schedule
from duo.core.plugins import Periodic, Plugin, install


def test_schedule_gathers_every_package_in_the_factory_order(app: Flask) -> None:
    with app.app_context():
        ids = [item.id for item in schedule()]
    assert ids == [
        "outbox-housekeeping",
        "privacy-retention",
        "training-reminders",
        "duos-health",
        "evaluation-follow-up",
        "reporting-nightly",
    ]


def test_duo_jobs_schedule_prints_the_schedule(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "schedule"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "job", "every"]
    assert lines[1].split() == ["outbox-housekeeping", "jobs.housekeeping", "1d"]
    assert lines[2].split() == ["privacy-retention", "privacy.retention", "1d"]
    assert lines[3].split() == ["training-reminders", "training.send_reminders", "1h"]
    assert lines[4].split() == ["duos-health", "duos.health", "1d"]
    assert lines[5].split() == ["evaluation-follow-up", "evaluation.follow_up", "1d"]
    assert lines[6].split() == ["reporting-nightly", "reporting.refresh_all", "1d"]
    assert len(lines) == 7


def test_a_periodic_id_declared_twice_is_refused() -> None:
    twice = Periodic("outbox-housekeeping", "jobs.housekeeping", timedelta(hours=6))
    plugins = [
        ("a", Plugin(periodic=[twice])),
        ("b", Plugin(periodic=[twice])),
    ]
    with pytest.raises(ValueError, match="outbox-housekeeping"):
        install(Flask("t"), plugins, lambda funcs: {"jobs.housekeeping"})


def test_a_periodic_job_naming_no_job_is_refused() -> None:
    typo = Periodic("nightly", "jobs.housekeepin", timedelta(days=1))
    with pytest.raises(ValueError, match="nightly"):
        install(Flask("t"), [("a", Plugin(periodic=[typo]))], lambda funcs: {"jobs.housekeeping"})
