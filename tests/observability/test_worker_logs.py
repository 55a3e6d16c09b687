"""A real ``duo worker`` in production mode logs JSON lines too, RQ's own lines included.

RQ adds a plain-text handler to its loggers unless one is already in place; the JSON
handler on the root logger must be found first, or the worker's lines (job started,
finished, failed) would be the only ones a log collector cannot parse.
"""

from __future__ import annotations

import json

import pytest

from jobs.live import RedisServer, live_deployment

pytestmark = [pytest.mark.redis]


def test_worker_log_lines_are_json_objects_with_level_and_time(tmp_path) -> None:
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    try:
        with live_deployment(tmp_path, DUO_REDIS_URL=redis_server.url) as live:
            live.env.update(REDIS_URL=redis_server.url, DUO_LOG_JSON="1")
            worker = live.spawn("worker", "--burst", log="worker")
            assert worker.wait(60) == 0, live.logs()
            lines = [line for line in live.logs().splitlines() if line.strip()]
    finally:
        redis_server.kill()
    assert lines, "the worker wrote nothing"
    entries = [json.loads(line) for line in lines]  # every line parses
    assert {entry["level"] for entry in entries} <= {"DEBUG", "INFO", "WARNING", "ERROR"}
    assert all(entry["timestamp"] for entry in entries)
    assert any(entry["logger"] == "rq.worker" for entry in entries), lines
