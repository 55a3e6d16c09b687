"""What privacy adds: the daily retention job and ``duo privacy``; mails withheld from
people who withdrew their privacy consent or were erased."""

from duo.core.mail.outbox import MAIL_WITHHELD
from duo.core.plugins import Plugin
from duo.privacy import gdpr, jobs
from duo.privacy.cli import privacy

PLUGIN = Plugin(
    jobs=[jobs.retention],
    periodic=[jobs.DAILY],
    commands=[privacy],
    providers=[(MAIL_WITHHELD, gdpr.mail_withheld)],
)
