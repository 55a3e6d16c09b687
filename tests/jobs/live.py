"""A committed, throw-away deployment for failure tests: its own database, its own Redis
server when asked, and the environment a ``duo`` subprocess (worker, web) needs to join it.

The session-wide ``app`` fixture rolls every test back, which other processes cannot see;
these tests need rows that are really committed. Loopback only, bounded in time.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from appfactory import build_app, make_settings, migrate_and_load, postgres_database
from duo.core.settings import REPO_ROOT
from support import DATABASE_URL

DUO = str(Path(sys.executable).with_name("duo"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    check: Callable[[], object],
    timeout: float,
    step: float = 0.1,
    explain: Callable[[], object] | None = None,
) -> object:
    """Poll ``check`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f" ({explain()})" if explain is not None else ""
            raise AssertionError(f"not reached within {timeout}s: {check.__qualname__}{detail}")
        time.sleep(step)


class RedisServer:
    """A redis-server of our own on a free loopback port (never the machine's)."""

    def __init__(self, tmp: Path, persistent: bool = False) -> None:
        #: ``persistent``: append-only file, fsync always, as production runs it (infra/)
        self.persistent = persistent
        self.port = free_port()
        self.dir = tmp / f"redis-{self.port}"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        assert exe, "redis-server is not installed"
        self.process = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.persistent else "no",
                "--appendfsync",
                "always",
                "--maxmemory-policy",
                "noeviction",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        def up() -> bool:
            try:
                return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
            except redis.exceptions.RedisError:
                return False

        wait_for(up, 10)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


@dataclass
class Live:
    app: Flask
    env: dict[str, str]
    tmp: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def spawn(self, *args: str, log: str = "proc") -> subprocess.Popen:
        out = open(self.tmp / f"{log}-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [DUO, *args],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=str(REPO_ROOT),
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.tmp.glob("*.log")))


@contextmanager
def live_deployment(tmp: Path, **config: object) -> Iterator[Live]:
    """A migrated database (PostgreSQL when ``DATABASE_URL`` is set, else a SQLite file)."""
    with ExitStack() as stack:
        url = stack.enter_context(postgres_database(DATABASE_URL)) if DATABASE_URL else None
        settings = make_settings(tmp, url)
        app = build_app(settings, **config)
        migrate_and_load(app)
        env = dict(os.environ)
        env.update(
            DATABASE_URL=settings.database_url,
            DATABASE_APP_URL=settings.app_database_url,
            DUO_INSTANCE_PATH=str(tmp),
            DUO_TENANTS_PATH=str(settings.tenants_path),
            SECRET_KEY="test-secret",
            PYTHONUNBUFFERED="1",
        )
        env.pop("REDIS_URL", None)
        live = Live(app, env, tmp)
        try:
            yield live
        finally:
            for process in live.processes:
                if process.poll() is None:
                    os.killpg(process.pid, 9)
                    process.wait(10)
            from duo.core.db import db

            with app.app_context():
                db.session.remove()
                db.engine.dispose()
