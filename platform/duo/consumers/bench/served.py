"""The platform under a real server: throughput, a worker's memory, and a sign-up burst.

Both applications run under gunicorn with the same settings (2 workers x 2 threads, the
production shape on this machine), each in its own server process:

- **ours**: the bench world's application (the 5,000-person branch), a coordinator's
  session cookie made by logging in once, sent with that browser's User-Agent;
- **bare**: the baseline of :mod:`duo.consumers.bench.pages`, a Flask route rendering a
  template of the same size.

*Throughput*: a few client threads with keep-alive connections request one page for a
second, then the bare page as long, alternately (A B A B ...); the figure is
the median requests per second of ours, the baseline the bare one's (goal: ratio >= 0.25).

*Memory*: the peak resident set (``VmHWM``) of our workers after every throughput round,
against the bare app's workers (goal: at most 120 MB).

*Sign-up burst* (PostgreSQL only: SQLite serialises writers by design): 500 different
candidates submit the public form for one session with 120 seats at the same time; all
500 must be stored once, 120 registered and 380 on the waiting list, with no error.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from duo.consumers.bench import Measurement, Skipped, figure
from duo.consumers.bench.pages import PAGES, _shared_world
from duo.consumers.bench.served_app import ENV_DATABASE, ENV_FOLDER
from duo.consumers.bench.world import BIG_BRANCH, World

WORKERS = 2
THREADS = 2
CLIENTS = 4
#: Seven short rounds of each rather than three long ones: a slow spell of this shared
#: machine (seen to halve the bare app's rate for a few seconds) then sways one or two
#: rounds of a figure, not its median.
ROUND_SECONDS = 1.0
ROUNDS = 7
BURST = 500
SEATS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn master with its workers, stopped when the bench ends."""

    def __init__(self, target: str, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "5",
            target,
        ]
        environ = {**os.environ, **(env or {})}
        environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process = subprocess.Popen(command, env=environ)
        atexit.register(self.stop)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn for {target} exited ({self.process.returncode})")
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn for {target} did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def peak_rss_mb(self) -> float:
        """The largest ``VmHWM`` (peak resident set) among the workers, in MB."""
        peaks = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        if not peaks:
            raise RuntimeError("no gunicorn worker found to measure")
        return max(peaks)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@cache
def _servers() -> tuple[World, Server, Server, dict[str, str]]:
    built, _ = _shared_world()
    folder, url = built.folder, built.database_url
    ours = Server(
        "duo.consumers.bench.served_app:bench_app()",
        {ENV_FOLDER: str(folder), ENV_DATABASE: url},
    )
    bare = Server("duo.consumers.bench.bare:bare_app()")
    client = built.client()
    # A page first, as a browser would have opened before: its session then holds the
    # form token, so the served requests do not each make one and send a new cookie.
    client.get(PAGES["dashboard"](built))
    # The served requests come from the browser that logged in, as a coordinator's do: the
    # same User-Agent, or Flask-Login's session protection would see another browser on
    # every request, mark the session not fresh and send a new cookie each time.
    agent = client.environ_base.get("HTTP_USER_AGENT", "")
    name = built.app.config.get("SESSION_COOKIE_NAME", "session")
    cookie = client.get_cookie(name)
    if cookie is None:
        raise RuntimeError("the bench login set no session cookie")
    return built, ours, bare, {"Cookie": f"{name}={cookie.value}", "User-Agent": agent}


def _load(port: int, path: str, headers: dict[str, str] | None, seconds: float) -> float:
    """Requests per second that ``CLIENTS`` keep-alive clients get for ``seconds``."""
    stop = time.monotonic() + seconds
    done = [0] * CLIENTS
    errors: list[str] = []
    headers = headers or {}

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.monotonic() < stop:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{path} answered {response.status}")
                    return
                done[k] += 1
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(done) / (time.monotonic() - started)


def _throughput(name: str):
    def measure() -> Measurement:
        built, ours, bare, browser = _servers()
        path = PAGES[name](built)
        size = len(built.client().get(path).data)
        _load(ours.port, path, browser, 0.5)  # warm both: first requests load templates
        _load(bare.port, f"/{size}", None, 0.5)
        a, b = [], []
        for _ in range(ROUNDS):
            a.append(_load(ours.port, path, browser, ROUND_SECONDS))
            b.append(_load(bare.port, f"/{size}", None, ROUND_SECONDS))
        return Measurement(
            statistics.median(a),
            statistics.median(b),
            note=f"gunicorn {WORKERS}x{THREADS}, {CLIENTS} clients, {size // 1024} KB",
        )

    return measure


for _name in PAGES:
    figure(f"throughput {_name} @5000 people", unit="req/s", ratio_goal=">= 0.25")(
        _throughput(_name)
    )


@figure("web worker peak RSS", unit="MB", goal="<= 120")
def worker_memory() -> Measurement:
    """Peak resident memory of our gunicorn workers after the throughput rounds."""
    _built, ours, bare, _browser = _servers()
    return Measurement(
        ours.peak_rss_mb(),
        bare.peak_rss_mb(),
        note="VmHWM of the largest worker, after the throughput figures",
    )


# --------------------------------------------------------------------------- sign-up burst


def _burst_session(built: World) -> str:
    import datetime as dt

    from duo.core.db import db, utcnow
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.sessions.domain import create_session
    from duo.sessions.domain.planning import SessionData

    with built.app.app_context():
        tenant = db.session.get(Tenant, built.tenant_id)
        with tenant_scope(tenant.id):
            data = SessionData(
                starts_at=utcnow() + dt.timedelta(days=10),
                duration_minutes=120,
                language=tenant.locales[0],
                audience="both",
                capacity=SEATS,
                place="Bench hall",
            )
            session = create_session(data, tenant=tenant)
            db.session.commit()
            return str(session.id)


def _submit(port: int, session_id: str, k: int) -> int:
    body = urllib.parse.urlencode(
        {
            "audience": "mentee" if k % 2 else "mentor",
            "session": session_id,
            "waitlist": "y",
            "first_name": f"Burst{k}",
            "last_name": f"Candidate{k:04d}",
            "email": f"burst{k}@example.org",
            "phone": "",
            "birth_year": "1990" if k % 2 else "1960",
            "consent": "y",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(
            "POST",
            f"/{BIG_BRANCH}/join",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@figure("sign-up burst: 500 at once, errors", unit="errors", goal="<= 0")
def signup_burst() -> Measurement:
    """500 concurrent public sign-ups to one session of 120 seats, under gunicorn on PG."""
    if not os.environ.get("DATABASE_URL"):
        raise Skipped("DATABASE_URL is unset: the burst needs PostgreSQL")
    from sqlalchemy import func, select

    from duo.core.db import db
    from duo.core.tenancy.context import tenant_scope
    from duo.sessions.models import REGISTERED, WAITLISTED, Registration

    built, ours, _bare, _browser = _servers()
    session_id = _burst_session(built)
    for _ in range(2 * WORKERS):  # warm the workers: a first request loads templates
        _load(ours.port, f"/{BIG_BRANCH}/join", None, 0.2)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(lambda k: _submit(ours.port, session_id, k), range(BURST)))
    seconds = time.perf_counter() - started
    with built.app.app_context(), tenant_scope(built.tenant_id):
        rows = db.session.execute(
            select(
                Registration.status, func.count(), func.count(func.distinct(Registration.person_id))
            )
            .where(Registration.session_id == session_id)
            .group_by(Registration.status)
        ).all()
    by_status = {status: (n, distinct) for status, n, distinct in rows}
    registered = by_status.get(REGISTERED, (0, 0))
    waiting = by_status.get(WAITLISTED, (0, 0))
    problems = sum(1 for s in statuses if s != 302)
    stored = registered[0] + waiting[0]
    if stored != BURST or registered[1] + waiting[1] != BURST:  # lost or duplicated
        problems += abs(BURST - stored) + (stored - registered[1] - waiting[1])
    if registered[0] != SEATS or waiting[0] != BURST - SEATS:
        problems += abs(registered[0] - SEATS)
    return Measurement(
        float(problems),
        note=(
            f"{stored} stored, {registered[0]} registered + {waiting[0]} waiting "
            f"({SEATS} seats), {BURST / seconds:.0f} sign-ups/s"
        ),
    )
