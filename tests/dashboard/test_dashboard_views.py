"""The branch overview: counts and what to do next, for the branch's coordinators only."""

from __future__ import annotations


def test_overview_counts_only_this_branch(coordinator, create_person) -> None:
    create_person("mechelen", role="mentor")
    create_person("mechelen", role="mentee")
    create_person("mechelen", role="mentee")
    create_person("antwerp", role="mentee")
    html = coordinator("mechelen").get("/mechelen/").get_data(as_text=True)
    assert '<p class="big">1</p>' in html  # mentors
    assert '<p class="big">2</p>' in html  # mentees


def test_overview_query_count_does_not_grow_with_people(
    coordinator, create_person, count_queries
) -> None:
    client = coordinator("lyon")
    client.get("/lyon/")
    with count_queries() as few:
        client.get("/lyon/")
    for _ in range(30):
        create_person("lyon")
    with count_queries() as many:
        client.get("/lyon/")
    assert many.count == few.count
