"""The column types of :mod:`duo.core.db.types`, as Python sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from duo.core.db.types import UTCDateTime


def test_a_utc_column_says_it_holds_datetimes() -> None:
    """Tools that introspect the models (schema generators, fake-data factories) read the
    Python type; a TypeDecorator alone would say ``object``."""
    assert UTCDateTime().python_type is datetime


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_a_utc_column_stores_utc_and_refuses_naive_moments(dialect) -> None:
    column = UTCDateTime()
    brussels = timezone(timedelta(hours=1))
    stored = column.process_bind_param(datetime(2026, 12, 2, 10, 0, tzinfo=brussels), dialect)
    assert stored == datetime(2026, 12, 2, 9, 0, tzinfo=UTC) and stored.tzinfo is UTC
    with pytest.raises(ValueError):
        column.process_bind_param(datetime(2026, 12, 2, 10, 0), dialect)
    assert column.process_result_value(datetime(2026, 12, 2, 9, 0), dialect).tzinfo is UTC
