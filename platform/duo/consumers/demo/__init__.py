"""Demo data for ``make run``: every branch gets a coordinator and some candidates."""
