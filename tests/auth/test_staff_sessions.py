"""Staff sessions live on the server: logout, timeouts and account changes really end them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from appfactory import log_in
from duo.core.auth.accounts import deactivate, reset_two_factor
from duo.core.auth.models import StaffSession
from duo.core.clock import advance


def _copy_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_a_cookie_saved_before_logout_opens_nothing(app, coordinator) -> None:
    client = coordinator("brussels")
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert thief.get("/brussels/people/").status_code == 200  # the copy works while logged in
    assert client.post("/logout").status_code == 302
    assert thief.get("/brussels/people/").status_code == 302


def test_login_starts_a_new_session(app, db, create_user) -> None:
    user = create_user(branches=["brussels"])
    client = app.test_client()
    client.get("/login")
    before = {c.key: c.value for c in client._cookies.values()}
    assert log_in(client, user).status_code == 302
    after = {c.key: c.value for c in client._cookies.values()}
    assert before.get("session") != after.get("session")
    rows = db.session.execute(select(StaffSession).where(StaffSession.user_id == user.id))
    assert len(rows.scalars().all()) == 1


def test_idle_sessions_end_after_30_minutes(coordinator) -> None:
    client = coordinator("brussels")
    with advance(timedelta(minutes=25)):
        assert client.get("/brussels/").status_code == 200
    with advance(timedelta(minutes=25 + 31)):  # 31 minutes after the last request
        assert client.get("/brussels/").status_code == 302


def test_sessions_end_12_hours_after_login(coordinator) -> None:
    client = coordinator("brussels")
    for minutes in range(20, 12 * 60, 20):
        with advance(timedelta(minutes=minutes)):
            assert client.get("/brussels/").status_code == 200, minutes
    with advance(timedelta(hours=12, minutes=5)):
        assert client.get("/brussels/").status_code == 302


def test_deactivation_and_2fa_reset_end_sessions(db, coordinator) -> None:
    one, two = coordinator("ghent"), coordinator("ghent")
    deactivate(one.user)
    reset_two_factor(two.user)
    db.session.flush()
    assert one.get("/ghent/").status_code == 302
    assert two.get("/ghent/").status_code == 302


def test_a_coordinator_sees_and_ends_their_own_sessions(app, db, coordinator) -> None:
    laptop = coordinator("mechelen")
    phone = app.test_client()
    assert log_in(phone, laptop.user).status_code == 302
    page = laptop.get("/account").get_data(as_text=True)
    assert page.count('id="session-') == 2 and "this browser" in page
    other = (
        db.session.execute(
            select(StaffSession)
            .where(StaffSession.user_id == laptop.user.id)
            .order_by(StaffSession.id.desc())
        )
        .scalars()
        .first()
    )
    assert laptop.post(f"/account/sessions/{other.id}/end").status_code == 302
    assert phone.get("/mechelen/").status_code == 302
    assert laptop.get("/mechelen/").status_code == 200


def test_nobody_ends_someone_elses_session(app, db, coordinator) -> None:
    mine, theirs = coordinator("mechelen"), coordinator("mechelen")
    row = db.session.execute(
        select(StaffSession).where(StaffSession.user_id == theirs.user.id)
    ).scalar_one()
    assert mine.post(f"/account/sessions/{row.id}/end").status_code == 404
    assert theirs.get("/mechelen/").status_code == 200


def test_log_out_everywhere_else(app, coordinator) -> None:
    laptop = coordinator("lyon")
    phone = app.test_client()
    assert log_in(phone, laptop.user).status_code == 302
    assert laptop.post("/account/sessions/end-others").status_code == 302
    assert phone.get("/lyon/").status_code == 302
    assert laptop.get("/lyon/").status_code == 200


def test_roles_are_read_afresh_with_the_session_on_every_request(db, tenants, coordinator) -> None:
    """The session, its user and the roles come back as one row set (issue 12), not from a
    cache: a branch given or taken away elsewhere (another process, a plain statement)
    counts on the next request."""
    from sqlalchemy import delete, insert

    from duo.core.auth.models import COORDINATOR, RoleGrant

    client = coordinator("ghent")
    assert client.get("/lille/").status_code == 404
    user_id, lille = client.user.id, tenants["lille"].id
    db.session.execute(insert(RoleGrant).values(user_id=user_id, tenant_id=lille, role=COORDINATOR))
    db.session.expire_all()  # as a request's own session starts: holding nothing
    assert client.get("/lille/").status_code == 200
    db.session.execute(delete(RoleGrant).where(RoleGrant.tenant_id == lille))
    db.session.expire_all()
    assert client.get("/lille/").status_code == 404
    assert client.get("/ghent/").status_code == 200
