"""A job that runs twice writes its mails once: each mail is keyed by the job's run.

A job runs again when its worker died after the work but before the outbox row said
"done", or when a lost job is recovered while the first run still finishes. The row is put
back to ``pending`` by hand here, which is exactly what recovery does.
"""

from __future__ import annotations

from sqlalchemy import select, update

from duo.core.jobs import enqueue, execute, job, register_jobs
from duo.core.jobs.models import DONE, PENDING, OutboxJob
from duo.core.mail import queue_mail
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.duos import lifecycle
from duo.people import states
from duo.training import enrolment
from duo.training import jobs as training_jobs
from support import make_cycle


@job("test.two_mails")
def two_mails(to: str) -> None:
    queue_mail(to, "first", "one")
    queue_mail(to, "second", "two")


register_jobs([two_mails])  # described above; a test has no plugin.py


def run_twice(db, row_id: int) -> None:
    assert execute(row_id) == DONE
    db.session.execute(update(OutboxJob).where(OutboxJob.id == row_id).values(status=PENDING))
    db.session.commit()
    assert execute(row_id) == DONE


def mails(db, tenant) -> list[OutgoingMail]:
    with tenant_scope(tenant.id):
        return list(
            db.session.execute(select(OutgoingMail).order_by(OutgoingMail.subject)).scalars()
        )


def jobs_named(db, name: str) -> list[OutboxJob]:
    return list(db.session.execute(select(OutboxJob).where(OutboxJob.name == name)).scalars())


def test_a_job_run_twice_writes_each_of_its_mails_once(db, tenants) -> None:
    lyon = tenants["lyon"]
    with tenant_scope(lyon.id):
        row = enqueue("test.two_mails", "a@example.org")
    db.session.commit()
    run_twice(db, row.id)
    written = mails(db, lyon)
    assert [m.subject for m in written] == ["first", "second"]
    assert {m.effect_key for m in written} == {f"job:{row.id}:1", f"job:{row.id}:2"}
    sends = [j for j in jobs_named(db, "mail.send") if j.tenant_id == lyon.id]
    assert len(sends) == 2


def test_a_mail_queued_outside_a_job_is_not_keyed(db, tenants) -> None:
    with tenant_scope(tenants["lille"].id):
        a = queue_mail("x@example.org", "s", "t")
        b = queue_mail("x@example.org", "s", "t")
    assert a.id != b.id and a.effect_key is None and b.effect_key is None


def test_enrolment_confirmed_twice_sends_one_place_mail(db, tenants, create_person) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels, count=2)
    person = create_person("brussels", role="mentor", state=states.ELIGIBLE, locale="fr")
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, person)
    db.session.commit()
    (row,) = jobs_named(db, "training.enrolment_confirmed")
    run_twice(db, row.id)
    assert len([m for m in mails(db, brussels) if m.kind == "training.place"]) == 1


def test_send_reminder_twice_sends_one_reminder(db, tenants, create_person) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels, count=1)
    person = create_person("brussels", role="mentor", state=states.ELIGIBLE, locale="fr")
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, person)
        session = cycle.sessions[0]
        row = enqueue(training_jobs.REMINDER_JOB, str(session.id), str(person.id))
    db.session.commit()
    run_twice(db, row.id)
    assert len([m for m in mails(db, brussels) if m.kind == "training.reminder"]) == 1


def test_duo_proposed_twice_mails_each_side_once(db, tenants, pool_factory) -> None:
    rotterdam = tenants["rotterdam"]
    mentee = pool_factory.mentee("rotterdam", "Amina")
    mentor = pool_factory.mentor("rotterdam", "Jan")
    emails = sorted([mentee.email, mentor.email])
    with tenant_scope(rotterdam.id):
        lifecycle.propose(mentee, mentor, by=None)
    db.session.commit()
    (row,) = jobs_named(db, "duos.proposed")
    run_twice(db, row.id)
    proposed = [m for m in mails(db, rotterdam) if m.kind == "duos.proposed"]
    assert sorted(m.recipient for m in proposed) == emails


def test_keys_are_unique_per_branch_in_the_schema(db) -> None:
    constraints = {
        tuple(c.columns.keys())
        for c in OutgoingMail.__table__.constraints
        if c.__class__.__name__ == "UniqueConstraint"
    }
    assert ("tenant_id", "effect_key") in constraints
