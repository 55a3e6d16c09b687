"""Moving a running branch onto the platform: its trained mentors, its duos and their outcomes.

A branch that already runs the programme brings its history along in three spreadsheets,
imported in this order (each needs the one before): **mentors** (trained, with the day
their training ended), **duos** (running and past, with start, end, state and coordinator;
mentees are created from the duo rows when not on the platform yet), **outcomes** (the
mentee's situation at the end and 3, 6, 12 months later, where known).

Each file goes through the candidates import's machinery (:mod:`duo.people.spreadsheet`
reads it, :func:`duo.people.importing.stage` keeps it for the preview with its ``kind``):
every row is validated, with its messages in the reader's language, and sorted into *new*,
*already on the platform* (keyed by a natural key: the mentor's e-mail; mentor, mentee and
start day; the duo and the follow-up point) or *error*. Nothing is written while a row has
an error, and everything is written in one transaction, so importing the same file twice
changes nothing.

What is written goes through the same state machines as the everyday work: the people
pipeline (:func:`duo.people.pipeline.transition`, dated on the days of the history),
training attendance (:mod:`duo.training.past`), the duo lifecycle
(:func:`duo.duos.past.record_past`) and the evaluation's outcome rows, so the
dashboards, matching and the reporting rollups count them like the rest. No mail is sent
for the past.
"""
