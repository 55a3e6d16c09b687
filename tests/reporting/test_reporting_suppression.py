"""Small cells hidden, with the cells that would reveal them; spreadsheet formulas defused."""

from __future__ import annotations

from duo.reporting.exports import neutralise, to_csv
from duo.reporting.suppression import Value, suppress
from duo.reporting.tables import Cell, Table


def test_a_lone_small_cell_takes_the_smallest_other_with_it() -> None:
    cells = {"a": Value(4, 4), "b": Value(30, 30), "c": Value(12, 12), "total": Value(46, 46)}
    suppress(cells, [(["a", "b", "c"], "total")], threshold=10)
    assert cells["a"].suppressed and cells["c"].suppressed
    assert not cells["b"].suppressed and not cells["total"].suppressed


def test_zero_is_shown_and_two_small_cells_protect_each_other() -> None:
    cells = {"a": Value(3, 3), "b": Value(5, 5), "c": Value(0, 0), "total": Value(8, 8)}
    suppress(cells, [(["a", "b", "c"], "total")], threshold=10)
    assert cells["a"].suppressed and cells["b"].suppressed and cells["total"].suppressed
    assert not cells["c"].suppressed


def test_secondary_suppression_spreads_across_linked_groups() -> None:
    # Branch x month: a small cell in January forces a second hidden cell in its row and
    # one in its column, until no row or column has a single hidden cell.
    cells = {
        ("x", 1): Value(3, 3),
        ("x", 2): Value(20, 20),
        ("y", 1): Value(15, 15),
        ("y", 2): Value(25, 25),
        ("x", "y"): Value(23, 23),
        ("y", "y"): Value(40, 40),
        ("t", 1): Value(18, 18),
        ("t", 2): Value(45, 45),
        ("t", "y"): Value(63, 63),
    }
    groups = [
        ([("x", 1), ("x", 2)], ("x", "y")),
        ([("y", 1), ("y", 2)], ("y", "y")),
        ([("t", 1), ("t", 2)], ("t", "y")),
        ([("x", 1), ("y", 1)], ("t", 1)),
        ([("x", 2), ("y", 2)], ("t", 2)),
        ([("x", "y"), ("y", "y")], ("t", "y")),
    ]
    suppress(cells, groups, threshold=10)
    for parts, total in groups:
        hidden = [k for k in [*parts, total] if cells[k].suppressed]
        assert len(hidden) != 1, (parts, total)
    assert cells[("x", 1)].suppressed


def test_formula_cells_are_neutralised() -> None:
    for text in ("=1+1", "+cmd", "-2", "@SUM(A1)"):
        assert neutralise(text) == "'" + text
    assert neutralise(-2) == -2 and neutralise("Ghent") == "Ghent"
    table = Table("t", "=evil()", ["=a"], rows=[("@b", [Cell(3.0)])])
    assert "'=evil()" in to_csv([table]) and "'@b" in to_csv([table])
