"""The login page's ``next`` must stay on this site, whatever browsers make of it."""

from __future__ import annotations

import pytest

from appfactory import log_in


@pytest.mark.parametrize(
    "target", ["/\\evil.example/", "/\\/evil.example/", "/\t/evil.example/", "\\\\evil.example"]
)
def test_next_that_a_browser_reads_as_another_site_is_ignored(client, create_user, target) -> None:
    user = create_user(branches=["ghent"])
    response = log_in(client, user, next=target)
    if response.status_code == 400:  # a control character: the form itself refuses it
        assert "\t" in target
        return
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/ghent/")


def test_next_on_this_site_is_still_followed(client, create_user) -> None:
    user = create_user(branches=["ghent"])
    response = log_in(client, user, next="/ghent/people/")
    assert response.headers["Location"].endswith("/ghent/people/")
