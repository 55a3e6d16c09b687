"""Planning sessions, their figures, cancelling them and recording attendance.

Plain functions over the current branch's rows: they flush, never commit, and raise
:class:`SessionError` (a translated message and the field it concerns) for anything a
coordinator must correct. Notifications are jobs written in the same transaction.

The package holds one module per seam: :mod:`.planning` (create, edit, cancel a session),
:mod:`.queries` (reading sessions and registrations), :mod:`.capacity` (seats and figures),
:mod:`.waitlist` (serving the waiting list), :mod:`.attendance` (who came) and
:mod:`.errors`. Every name is importable from here, as before the split.
"""

from duo.sessions.domain.attendance import (
    AttendanceResult,
    attendance_missing,
    attendance_open,
    local_start_label,
    local_today,
    record_attendance,
)
from duo.sessions.domain.capacity import (
    NEARLY_FULL,
    Figures,
    figures_for,
    nearly_full_count,
    seats_taken,
)
from duo.sessions.domain.errors import SessionError
from duo.sessions.domain.planning import (
    MAX_CAPACITY,
    MAX_DURATION,
    MIN_CAPACITY,
    MIN_DURATION,
    SessionData,
    cancel_session,
    create_session,
    local_to_utc,
    session_languages,
    update_session,
)
from duo.sessions.domain.queries import (
    get_session,
    lock_session,
    past_sessions,
    registrations_of,
    upcoming_sessions,
)
from duo.sessions.domain.waitlist import cancel_registration, promote_waitlist

__all__ = [
    "MAX_CAPACITY",
    "MAX_DURATION",
    "MIN_CAPACITY",
    "MIN_DURATION",
    "NEARLY_FULL",
    "AttendanceResult",
    "Figures",
    "SessionData",
    "SessionError",
    "attendance_missing",
    "attendance_open",
    "cancel_registration",
    "cancel_session",
    "create_session",
    "figures_for",
    "get_session",
    "local_start_label",
    "local_to_utc",
    "local_today",
    "lock_session",
    "nearly_full_count",
    "past_sessions",
    "promote_waitlist",
    "record_attendance",
    "registrations_of",
    "seats_taken",
    "session_languages",
    "update_session",
    "upcoming_sessions",
]
