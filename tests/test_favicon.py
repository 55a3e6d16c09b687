"""``/favicon.ico``: browsers ask for it at the root; it is a real icon, not a redirect."""

from __future__ import annotations

import struct


def test_favicon_is_a_real_icon_for_everyone(client, coordinator) -> None:
    for visitor in (client, coordinator("brussels")):
        response = visitor.get("/favicon.ico")
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert "Location" not in response.headers
        data = response.get_data()
        reserved, kind, count = struct.unpack("<HHH", data[:6])  # the ICO header
        assert (reserved, kind) == (0, 1) and count >= 2
        sizes = {data[6 + 16 * i] for i in range(count)}  # each entry's width
        assert {16, 32} <= sizes
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_point_at_the_icon(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.ico"' in html
    assert client.get("/static/favicon.ico").status_code == 200
