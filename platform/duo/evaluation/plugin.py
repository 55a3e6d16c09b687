"""What evaluation adds (step 8): the survey and outcome pages reached by personal links, the
survey when a duo ends (a listener of the duo's lifecycle event) and the daily follow-up of
outcomes at the end and 3, 6 and 12 months later."""

from duo.core.plugins import Plugin
from duo.duos import lifecycle
from duo.evaluation import jobs, privacy
from duo.evaluation.views import bp
from duo.privacy import gdpr

PLUGIN = Plugin(
    blueprints=[bp],
    jobs=[jobs.survey, jobs.ask, jobs.follow_up],
    periodic=[jobs.FOLLOW_UP],
    listeners=[(lifecycle.TRANSITIONED, jobs.on_duo_step)],
    providers=[
        (gdpr.PERSONAL_DATA, privacy.personal_data),
        (gdpr.ERASERS, privacy.erase),
        (gdpr.LAST_ACTIVITY, privacy.last_activity),
    ],
)
