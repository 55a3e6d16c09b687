"""Two-factor authentication with TOTP (RFC 6238, pyotp) and single-use recovery codes.

Every staff account needs it: after the password, the login asks for the six-digit code
of an authenticator app, or for enrolment (a QR code, drawn as SVG by ``qrcode``, and the
secret in base32 for typing) when the account has none yet. A code is accepted once: the
time step of the last accepted code is stored and no earlier or equal step passes again.
Ten recovery codes are shown once at enrolment; each replaces a TOTP code one time.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time

import pyotp
from sqlalchemy import select

from duo.core.auth.models import RecoveryCode, User
from duo.core.db import db, utcnow

ISSUER = "DUO for a JOB"
RECOVERY_CODES = 10
#: Codes of the step before and after the current one are accepted (clock drift).
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG (paths only: no script, no style attribute)."""
    import qrcode  # (with Pillow) loaded when someone enrols, not at start
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # no XML declaration inside an HTML page


def _step_of(secret: str, code: str) -> int | None:
    """The time step whose code is ``code`` (within the window), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = wall_step(totp)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_code(user: User, code: str, secret: str | None = None) -> bool:
    """True, once, for a valid TOTP code of ``user`` (or of ``secret`` during enrolment)."""
    secret = secret or user.totp_secret
    if not secret:
        return False
    step = _step_of(secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def enable(user: User, secret: str) -> list[str]:
    """Store the confirmed secret; return fresh recovery codes (shown once, then hashed)."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def disable(user: User) -> None:
    """Forget the secret and the recovery codes: the next login enrols again."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    for row in _codes(user):
        db.session.delete(row)


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def _codes(user: User) -> list[RecoveryCode]:
    return list(
        db.session.execute(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).scalars()
    )


def new_recovery_codes(user: User) -> list[str]:
    for row in _codes(user):
        db.session.delete(row)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(code)))
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """True, once, for one of the user's unused recovery codes."""
    wanted = _hash(code)
    for row in _codes(user):
        if row.used_at is None and hmac.compare_digest(row.code_hash, wanted):
            row.used_at = utcnow()
            return True
    return False


def recovery_codes_left(user: User) -> int:
    return sum(1 for row in _codes(user) if row.used_at is None)


def current_code(secret: str, after_step: int | None = None) -> str:
    """The code an authenticator shows now (for the demo's own checks and the tests).

    With ``after_step`` (the last step accepted), the next step's code when the current
    one was already used: what an app shows a few seconds later.
    """
    totp = pyotp.TOTP(secret)
    step = wall_step(totp)
    if after_step is not None and step <= after_step:
        step = after_step + 1
    return totp.generate_otp(step)


def wall_step(totp: pyotp.TOTP) -> int:
    """The TOTP time step of the real time, on purpose not the platform's clock.

    The authenticator app on a phone counts real seconds; the platform's clock
    (``duo.core.clock``) may be moved by the demo or a test, and codes must still match.
    """
    return int(time.time()) // totp.interval
