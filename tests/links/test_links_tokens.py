"""The general personal-link mechanism: hashed, bound, expiring, revocable, single-use."""

from __future__ import annotations

import datetime as dt
import uuid

from duo.core import clock, links
from duo.core.links.models import PersonalLink
from support import a_monday

AT = a_monday(-2, hour=8)


def test_a_link_lives_expires_and_is_revoked(db, in_tenant, pool_factory) -> None:
    person = pool_factory.mentee("ghent", "Sara", languages={"nl": "native"})
    thing = uuid.uuid4()
    with in_tenant("ghent"), clock.frozen(AT) as c:
        link, token = links.issue(person.id, "duo", thing, "duo", valid_for=dt.timedelta(days=3))
        assert link.token_hash != token and len(token) >= 40
        assert links.lookup(token).status == links.OK
        assert links.lookup(token, purposes=("check_in",)).status == links.WRONG
        assert links.lookup(token + "x").status == links.WRONG
        assert links.lookup("").status == links.WRONG
        c.advance(dt.timedelta(days=3))
        assert links.lookup(token).status == links.EXPIRED
        c.set(AT)
        _second, fresh = links.issue(
            person.id, "duo", thing, "duo", valid_for=dt.timedelta(days=3)
        )  # replaces the first
        assert links.lookup(token).status == links.REVOKED
        assert links.lookup(fresh).status == links.OK
        assert [x.id for x in links.live_links("duo", thing)] == [_second.id]
    with in_tenant("antwerp"):
        assert links.lookup(fresh).status == links.WRONG  # another branch's token


def test_a_single_use_link_reads_as_used(db, in_tenant, pool_factory) -> None:
    person = pool_factory.mentor("ghent", "Koen", languages={"nl": "native"})
    with in_tenant("ghent"), clock.frozen(AT):
        link, token = links.issue(
            person.id, "outcome_ask", uuid.uuid4(), "outcome",
            valid_for=dt.timedelta(days=30), single_use=True,
        )  # fmt: skip
        links.mark_used(link)
        found = links.lookup(token)
        assert found.status == links.USED and found.link is link
        assert isinstance(found.link, PersonalLink)
        assert links.revoke_all(person.id, "outcome_ask", link.object_id) == 1
