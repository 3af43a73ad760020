"""Optional two-factor login with a TOTP app (django-otp): enrol, verify, and check a code.

A user who has confirmed a device must give a code after the password on every login, on the
pages (RequireOTPMiddleware) and for an API token. The security administrator can remove a
lost device in the admin site.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.core.models import User

DEVICE_NAME = "履职平台"


def has_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (a fresh secret until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth URL as an SVG QR code in a data: URI (CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    image.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for apps that cannot scan."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def confirm(device: TOTPDevice, token: str) -> bool:
    if not token.isdigit() or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def verify(user: User, token: str):
    """The confirmed device that accepts this code, or None."""
    token = (token or "").strip()
    return match_token(user, token) if token.isdigit() else None
