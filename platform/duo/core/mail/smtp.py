"""Turn an outbox row into a MIME message and hand it to the SMTP server."""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from duo.core.db import utcnow
from duo.core.mail.models import OutgoingMail


def _split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    head, *params = [part.strip() for part in content_type.split(";")]
    maintype, _, subtype = head.partition("/")
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        if key:
            parsed[key.strip().lower()] = value.strip().strip('"')
    return maintype or "application", subtype or "octet-stream", parsed


def build_message(mail: OutgoingMail, *, sender: str, reply_to: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = formatdate(utcnow().timestamp(), usegmt=True)
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for item in mail.attachments or []:
        maintype, subtype, params = _split_content_type(item["content_type"])
        params.pop("charset", None)  # set_content adds it for text parts
        data = base64.b64decode(item["data"])
        if maintype == "text":
            message.add_attachment(
                data.decode("utf-8"),
                subtype=subtype,
                filename=item["filename"],
                params=params,
            )
        else:
            message.add_attachment(
                data, maintype=maintype, subtype=subtype, filename=item["filename"], params=params
            )
    return message


def deliver(message: EmailMessage, config: Mapping[str, Any]) -> None:
    """Send through ``MAIL_SERVER``; any SMTP or network error propagates (the job retries)."""
    host = config["MAIL_SERVER"]
    port = int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT") or 30)
    if config.get("MAIL_USE_SSL"):
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        client.ehlo()
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if config.get("MAIL_USERNAME"):
            client.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        refused = client.send_message(message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)
