"""E-mail that is never lost: written to a branch's outbox table, sent by a job.

:func:`queue_mail` writes an :class:`~duo.core.mail.models.OutgoingMail` row in the caller's
transaction and enqueues the job ``mail.send`` with the mail's id only (subject, body and
recipient are personal data: they stay in the branch's table, under row-level security,
never in Redis). The job sends through SMTP (``MAIL_SERVER`` ...) and marks the row
``sent``; an SMTP failure raises, so the outbox retries it with back-off. With no
``MAIL_SERVER`` (the embedded demo) the mail is marked ``kept`` and shown to the branch's
coordinators on the dev page ``/<branch>/outbox``.

Mails are rendered with :func:`render_mail` from templates in the recipient's language.
"""

from duo.core.mail.outbox import queue_mail
from duo.core.mail.render import RenderedMail, external_url, render_mail

__all__ = ["RenderedMail", "external_url", "queue_mail", "render_mail"]
