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
    client.get("/lyon/")  # commits the new people (and their figures' refresh request)
    with count_queries() as many:
        client.get("/lyon/")
    assert many.count == few.count
    assert many.count <= PAGE_BUDGET, many.statements


#: Statements a coordinator's page may run, whatever the size of the branch (issue 12).
PAGE_BUDGET = 10


def test_todo_sentences_agree_with_their_count(coordinator, create_person) -> None:
    from duo.people import states

    create_person("brussels", role="mentee", state=states.ATTENDED)
    client = coordinator("brussels")  # a French-speaking branch
    html = client.get("/brussels/").get_data(as_text=True)
    assert (
        '<strong class="count">1</strong> candidat a participé à une séance d&#39;information'
        " et attend son entretien individuel"
    ) in html
    create_person("brussels", role="mentor", state=states.ATTENDED)
    html = client.get("/brussels/").get_data(as_text=True)
    assert '<strong class="count">2</strong> candidats ont participé' in html


def test_todo_parts_put_the_count_apart() -> None:
    from duo.core.dashboard.todos import Todo

    todo = Todo("12 mentees waiting for a mentor (the longest for 2 weeks)", 12)
    assert todo.parts == ("", "12", " mentees waiting for a mentor (the longest for 2 weeks)")
    assert Todo("3 weeks, 3 duos", 3).parts == ("", "3", " weeks, 3 duos")
    assert Todo("nothing numbered", 4).parts == ("nothing numbered", "", "")
