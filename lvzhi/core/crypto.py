"""SM3 hashing and SM4 encryption (GB/T 32905, GB/T 32907), as 密码法 asks of government systems.

OpenSSL provides both: `hashlib.new("sm3")` and `cryptography`'s SM4. Personal data is
stored as base64(nonce | ciphertext | tag) with SM4-GCM so tampering is detected too.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# DEVELOPMENT AND TESTS ONLY, NOT SECRET: the SM4 key used when LVZHI_SM4_KEY is unset and
# DEBUG is on (or under the tests). It equals the key earlier versions derived from the
# development SECRET_KEY, so a developer's existing database still decrypts. Production refuses
# to start without LVZHI_SM4_KEY (lvzhi.core.checks), and _key() refuses to fall back there.
DEV_SM4_KEY_HEX = "b2b2375cd7084eab29b87c0faecbe3ec"


def sm3_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.new("sm3", data).hexdigest()


def parse_sm4_key(text: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured("LVZHI_SM4_KEY 必须是 32 位十六进制数（128 位密钥），"
                                   "可用 `openssl rand -hex 16` 生成")
    return key


def legacy_derived_key(secret_key: str) -> bytes:
    """How versions before LVZHI_SM4_KEY became mandatory derived the key from SECRET_KEY when
    the variable was unset: only to read such data once (manage.py rotate_sm4_key --old-derived)."""
    return bytes.fromhex(sm3_hex("sm4-key:" + secret_key))[:16]


def _running_tests() -> bool:
    """Django's test environment is set up (pytest-django and `manage.py test` both call
    setup_test_environment, which installs the locmem outbox)."""
    from django.core import mail

    return hasattr(mail, "outbox")


def sm4_key_is_default() -> bool:
    return not settings.SM4_KEY_HEX or settings.SM4_KEY_HEX.strip().lower() == DEV_SM4_KEY_HEX


def _key() -> bytes:
    """LVZHI_SM4_KEY; never derived from SECRET_KEY. Unset, only DEBUG and the tests get the
    marked development key; anything else is refused rather than encrypting with a known key."""
    if settings.SM4_KEY_HEX:
        return parse_sm4_key(settings.SM4_KEY_HEX)
    if settings.DEBUG or _running_tests():
        return bytes.fromhex(DEV_SM4_KEY_HEX)
    raise ImproperlyConfigured(
        "未设置个人信息加密密钥 LVZHI_SM4_KEY（32 位十六进制数，`openssl rand -hex 16`），"
        "仅开发（LVZHI_DEBUG=1）和测试可用默认密钥 / LVZHI_SM4_KEY is not set")


def sm4_encrypt(plain: str, key: bytes | None = None) -> str:
    if not plain:
        return ""
    nonce = os.urandom(12)
    enc = Cipher(algorithms.SM4(key or _key()), modes.GCM(nonce)).encryptor()
    body = enc.update(plain.encode("utf-8")) + enc.finalize()
    return base64.b64encode(nonce + body + enc.tag).decode("ascii")


def sm4_decrypt(token: str, key: bytes | None = None) -> str:
    if not token:
        return ""
    raw = base64.b64decode(token)
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    dec = Cipher(algorithms.SM4(key or _key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (dec.update(body) + dec.finalize()).decode("utf-8")
    except InvalidTag as exc:  # wrong key or altered data: never show garbage
        raise ValueError("个人信息密文校验失败") from exc


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """138****5678 / 110101********1234: enough to recognise, not enough to misuse."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[0] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
