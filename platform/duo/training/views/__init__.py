"""Mentor training pages: curriculum, planning, sessions, enrolment, attendance, calendars.

Every page is a branch page for coordinators (404 for anyone else), except the calendar
feed itself, which opens with its secret link alone. Views are thin: the work is done by
``planning``, ``enrolment``, ``feeds`` and ``status``.

One blueprint (``training``, so endpoint names stay ``training.<view>``), its routes in a
module per seam: :mod:`.overview` (the index and the curriculum), :mod:`.cycles`
(planning a cycle, one cycle's page), :mod:`.sessions` (moving and cancelling a session),
:mod:`.people` (enrolment, attendance, a person's page) and :mod:`.calendars` (calendar
links and the feed), :mod:`.exports` (the sessions as a spreadsheet). :mod:`.blueprint`
holds the blueprint and what the pages share.
"""

from duo.training.views import calendars, cycles, exports, overview, people, sessions
from duo.training.views.blueprint import bp

#: The modules whose routes make up ``bp`` (importing one adds its routes).
ROUTE_MODULES = (overview, cycles, sessions, people, calendars, exports)

__all__ = ["ROUTE_MODULES", "bp"]
