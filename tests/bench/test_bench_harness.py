"""The bench harness itself: honest statistics, interleaving, and a run that survives a
broken figure. (The figures are never run here: benchmarks are not part of `make test`.)"""

from __future__ import annotations

import json
import math

import pytest

from duo.consumers import bench
from duo.consumers.bench import Figure, Measurement, Stats, interleaved, measure, write_json


def test_stats_reports_median_and_p95_not_the_best_run() -> None:
    stats = Stats.of([5.0, 1.0, 3.0, 2.0, 4.0, 100.0, 2.5, 3.5, 1.5, 4.5])
    assert stats.median == 3.25
    assert stats.p95 == 100.0
    assert min(stats.samples) == 1.0


def test_interleaved_alternates_work_and_baseline() -> None:
    order: list[str] = []
    interleaved(lambda: order.append("a"), lambda: order.append("b"), rounds=3, warmup=1)
    assert order == ["a", "b"] * 4


def test_ratio_goal_and_value_goal_both_count() -> None:
    fig = Figure("x", "s", "< 1", lambda: Measurement(0.5, 0.1), ratio_goal="<= 3")
    result = measure(fig)
    assert result.ratio == pytest.approx(5.0)
    assert result.passed is False
    fig_ok = Figure("y", "s", "< 1", lambda: Measurement(0.2, 0.1), ratio_goal="<= 3")
    assert measure(fig_ok).passed is True


def test_a_broken_figure_is_a_failed_row_not_a_crashed_run() -> None:
    def broken() -> Measurement:
        raise RuntimeError("seeder ran out of mentors")

    result = measure(Figure("broken", "ms", "< 300", broken))
    assert result.passed is False
    assert math.isnan(result.value)
    assert "seeder ran out of mentors" in (result.note or "")


def test_bench_json_has_the_keys_the_readme_promises(tmp_path) -> None:
    result = measure(Figure("z", "ms", "< 300", lambda: Measurement(12.0, 4.0, p95=20.0)))
    path = write_json([result], tmp_path / "bench.json")
    (row,) = json.loads(path.read_text())
    for key in ("figure", "value", "unit", "baseline", "ratio", "goal", "pass"):
        assert key in row
    assert row["ratio"] == 3.0 and row["p95"] == 20.0
    assert "ratio" in bench.format_table([result])


def test_a_figure_that_cannot_run_here_is_skipped_with_its_reason() -> None:
    def postgres_only() -> Measurement:
        raise bench.Skipped("DATABASE_URL is unset")

    result = measure(Figure("burst", "errors", "<= 0", postgres_only))
    assert result.passed is None
    assert result.note == "skipped: DATABASE_URL is unset"
    assert "skipped" in bench.format_table([result])


def test_the_hq_baselines_count_rows_on_either_database() -> None:
    """The hand-written aggregates HQ's figures are compared with read the raw rows: as the
    application's role on PostgreSQL they would see none (row-level security) and count
    nothing, a baseline no figure could honestly beat."""
    from duo.consumers.bench.hq import _raw_aggregate, _raw_branch_counts, hq_world

    with hq_world(branches=2, duos=120) as built:
        _raw_aggregate(built)  # each asserts that it counted rows
        _raw_branch_counts(built, built.branch_ids[1])


def test_a_whole_run_ends_with_its_own_time_against_ten_minutes(monkeypatch) -> None:
    """Issue 12: the bench finishes in under 10 minutes here; the table says whether it
    did (a run of some figures only, ``-k``, has no such row)."""
    fig = Figure("quick", "ms", "< 300", lambda: Measurement(1.0, 1.0))
    monkeypatch.setattr(bench, "_REGISTRY", {"quick": fig})
    results = bench.run()
    assert [r.figure for r in results] == ["quick", "bench run: whole time"]
    whole = results[-1]
    assert whole.unit == "min" and whole.goal == "< 10" and whole.passed is True
    assert [r.figure for r in bench.run(match="qui")] == ["quick"]
    assert bench.run_time(11 * 60, 26).passed is False
    assert bench.run_time(11 * 60, 26).value == 11.0
