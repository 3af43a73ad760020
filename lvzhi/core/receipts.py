"""What the public's forms share: the receipt code a citizen keeps instead of an account, and
the hash of the submitting network that the abuse limits count (never the address itself)."""

from __future__ import annotations

import re
import secrets

from django.conf import settings

from lvzhi.core.crypto import sm3_hex

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str, length: int) -> str | None:
    """The code as typed (spaces, dashes, lower case) in its stored form, or None if it cannot be one."""
    code = re.sub(r"[\s-]", "", code or "").upper()
    if len(code) != length or any(ch not in ALPHABET for ch in code):
        return None
    return code


def door_code(purpose: str, pk: int) -> str:
    """The signed code a printed door QR carries (a training's, a meeting's sign-in): only the
    platform can make it, so a guessed link signs nobody in."""
    return sm3_hex(f"{purpose}:{settings.SECRET_KEY}:{pk}")[:16]


def network_hash(purpose: str, ip: str) -> str:
    """Enough to count one network's submissions for `purpose`, not to find the person."""
    return sm3_hex(f"{purpose}:{settings.SECRET_KEY}:{ip}")
