"""Issue 10 item 6: schemathesis drives every operation of the OpenAPI description.

The description the app serves (``/api/v1/openapi.json``, from :mod:`duo.core.openapi`) is
loaded through WSGI; each operation gets a bounded number of generated requests (valid and
invalid), with the branch in the URL pointed at a real branch and a real session half of
the time so that requests get past the 404. No answer may be a 5xx, and every answer must
match the description (status code, content type, body schema). Runs on SQLite and, with
``DATABASE_URL``, on PostgreSQL: each example's writes stay in the test's transaction.
"""

from __future__ import annotations

import zlib

import pytest
import schemathesis
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from support import fuzz_settings, make_session

#: Examples per operation and generation mode (valid, invalid): the whole test < 60 s.
EXAMPLES = 15

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def real_session(db, tenants):
    info_id = make_session(tenants["brussels"], capacity=3).id  # before commit: RLS on PG
    db.session.commit()
    return info_id


def _in_a_real_branch(case, real_session) -> None:
    """Half the examples in a real branch (and session), so they reach the views."""
    params = case.path_parameters or {}
    if "tenant" in params and zlib.crc32(repr((case.body, case.query)).encode()) % 2 == 0:
        params["tenant"] = "brussels"
        if "session_id" in params:
            params["session_id"] = str(real_session)


def test_every_api_operation_answers_within_its_description(app, db, real_session) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for operation in operations:

            @given(case=operation.as_strategy(generation_mode=mode))
            @fuzz_settings(EXAMPLES)
            def run(case) -> None:
                _in_a_real_branch(case, real_session)
                case.call_and_validate(checks=CHECKS)

            run()
