"""A real ``duo worker`` process killed mid-job, or asked to stop, while it talks to a real
SMTP server (aiosmtpd) that answers slowly. The mail is delivered exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from live import RedisServer, free_port, live_deployment, wait_for
from sqlalchemy import select

from duo.core.db import db
from duo.core.jobs.models import DONE, OutboxJob
from duo.core.mail import queue_mail
from duo.core.mail.models import SENT, OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant

pytestmark = [pytest.mark.redis, pytest.mark.smtp]


class SlowInbox:
    """Holds the first transaction at RCPT for ``delay`` seconds: the worker is mid-send."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.messages: list[object] = []
        self.in_rcpt = threading.Event()
        self._slowed = False

    async def handle_RCPT(self, server, session, envelope, address, options):
        if not self._slowed:
            self._slowed = True
            self.in_rcpt.set()
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def stack(tmp_path):
    redis_server = RedisServer(tmp_path, persistent=True)
    redis_server.start()
    inbox = SlowInbox(delay=4)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with live_deployment(tmp_path, DUO_REDIS_URL=redis_server.url) as live:
            live.env.update(
                REDIS_URL=redis_server.url,
                MAIL_SERVER="127.0.0.1",
                MAIL_PORT=str(port),
                MAIL_TIMEOUT="20",
            )
            live.inbox = inbox
            yield live
    finally:
        controller.stop()
        redis_server.kill()


def _queue_one(live) -> tuple[object, int]:
    with live.app.app_context():
        tenant_id = db.session.execute(select(Tenant.id).where(Tenant.slug == "ghent")).scalar_one()
        with tenant_scope(tenant_id):
            mail = queue_mail("jan@example.org", "Your place", "See you on Tuesday.\n")
            mail_id = mail.id
        db.session.commit()
        db.session.remove()
    return tenant_id, mail_id


def _state(live, tenant_id: int, mail_id) -> tuple[str, str]:
    with live.app.app_context():
        job = db.session.execute(
            select(OutboxJob.status).where(OutboxJob.dedupe_key == f"mail.send:{mail_id}")
        ).scalar_one()
        with tenant_scope(tenant_id):
            mail = db.session.execute(
                select(OutgoingMail.status).where(OutgoingMail.id == mail_id)
            ).scalar_one()
        db.session.remove()
    return job, mail


def test_a_worker_killed_mid_send_is_replaced_and_the_mail_goes_out_once(stack) -> None:
    tenant_id, mail_id = _queue_one(stack)
    first = stack.spawn("worker", "--interval", "0.5", log="worker-a")
    assert stack.inbox.in_rcpt.wait(60), stack.logs()
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    stack.spawn("worker", "--interval", "0.5", log="worker-b")
    # Found from RQ's state (the dead worker's heartbeats stopped), not after a long lease.
    wait_for(
        lambda: _state(stack, tenant_id, mail_id) == (DONE, SENT),
        60,
        step=0.5,
        explain=stack.logs,
    )
    assert len(stack.inbox.messages) == 1
    assert stack.inbox.messages[0]["To"] == "jan@example.org"


def test_sigterm_lets_the_running_job_finish(stack) -> None:
    tenant_id, mail_id = _queue_one(stack)
    worker = stack.spawn("worker", "--interval", "0.5", log="worker")
    assert stack.inbox.in_rcpt.wait(60), stack.logs()
    os.killpg(worker.pid, signal.SIGTERM)
    assert worker.wait(30) == 0, stack.logs()
    assert _state(stack, tenant_id, mail_id) == (DONE, SENT), stack.logs()
    assert len(stack.inbox.messages) == 1
