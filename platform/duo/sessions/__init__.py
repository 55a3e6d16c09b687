"""Information sessions: the first step of the method, and the public front door.

A branch plans collective information sessions (audience mentors, mentees or both, a
language, a capacity, a place or an online link). Candidates sign up on the public page
``/<branch>/join`` or through the JSON API the organisation's website embeds; a full
session offers a waiting list; everyone gets a confirmation e-mail with an ``.ics``
invitation and a personal link to cancel. Coordinators plan, edit and cancel sessions
and record attendance, which moves each person who came to ``attended_info_session``.

Choices made here (DESIGN is silent on them):

- The sign-up page lists the sessions in the visitor's language first, then the branch's
  sessions in its other languages (Antwerp offers English sessions on a Dutch-only site).
- A person is reused when the same e-mail address (any case) signs up again in the same
  branch for the same role; the same person signing up twice for one session keeps one
  registration and sees the same confirmation. The names already on file are never
  overwritten by a sign-up (anyone can type anyone's e-mail address).
- Only registrations with a seat count against the capacity; the waiting list is served
  in order of sign-up whenever a seat frees up (a cancellation, a larger capacity).
- A session is never deleted: cancelling keeps it, with its figures, and tells everyone
  registered or waiting. Past sessions are read-only except for their attendance, which
  can be recorded from the day of the session on.
- The personal link is signed with the app's secret (itsdangerous) rather than stored:
  every later mail can carry the same link again. It stops working once the session has
  started (nothing left to cancel) and shows a clear page, never an error.
- The meeting link of an online session is only sent to people with a seat; the public
  page and the API just say "online".
"""
