"""The language switcher's ``next`` must stay on this site."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "/\t/evil.example"])
def test_next_that_a_browser_reads_as_another_site_is_refused(client, target: str) -> None:
    response = client.post("/language", data={"locale": "fr", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_this_site_is_followed(client) -> None:
    response = client.post("/language", data={"locale": "fr", "next": "/brussels/"})
    assert response.headers["Location"] == "/brussels/"
