"""Reporting: the organisation's figures, computed from rollups that hold no person.

Rollup rows (:mod:`duo.reporting.models`) are counts and sums per branch, month, measure and
reporting dimension. A job computes them inside one branch's tenant scope
(:mod:`duo.reporting.refresh`), after changes that affect them (debounced) and nightly in
full; everything HQ sees (pages, exports, API, the annual report) reads only those rows,
through :mod:`duo.reporting.query`, with small cells suppressed
(:mod:`duo.reporting.suppression`). Each indicator is defined once
(:mod:`duo.reporting.indicators`), with the definition HQ reads on its page.
"""
