"""What information sessions add (step 1 of the method).

The coordinator's pages, the public sign-up pages and the JSON API; the mails about a
registration as jobs; the to-dos of attendance and full sessions; and, for the candidates
list of :mod:`duo.people`, the filter "registered for this session".
"""

from flask_babel import lazy_gettext as _l

from duo.core.plugins import NavItem, Plugin
from duo.people.listing import SESSION_FILTER
from duo.privacy import gdpr
from duo.sessions import jobs, privacy
from duo.sessions.api import api_bp
from duo.sessions.join import public_bp
from duo.sessions.listing import registrations_filter
from duo.sessions.todos import session_todos
from duo.sessions.views import bp

PLUGIN = Plugin(
    blueprints=[bp, public_bp, api_bp],
    navigation=[NavItem("sessions.index", _l("Information sessions"), 10)],
    todos=[session_todos],
    jobs=[jobs.promoted, jobs.changed, jobs.session_cancelled],
    providers=[
        (SESSION_FILTER, registrations_filter),
        (gdpr.PERSONAL_DATA, privacy.personal_data),
        (gdpr.LAST_ACTIVITY, privacy.last_activity),
    ],
)
