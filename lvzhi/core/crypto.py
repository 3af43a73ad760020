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


def sm3_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.new("sm3", data).hexdigest()


def _key() -> bytes:
    if settings.SM4_KEY_HEX:
        key = bytes.fromhex(settings.SM4_KEY_HEX)
        if len(key) != 16:
            raise ValueError("LVZHI_SM4_KEY 必须是 32 位十六进制数（128 位密钥）")
        return key
    return bytes.fromhex(sm3_hex("sm4-key:" + settings.SECRET_KEY))[:16]


def sm4_encrypt(plain: str) -> str:
    if not plain:
        return ""
    nonce = os.urandom(12)
    enc = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    body = enc.update(plain.encode("utf-8")) + enc.finalize()
    return base64.b64encode(nonce + body + enc.tag).decode("ascii")


def sm4_decrypt(token: str) -> str:
    if not token:
        return ""
    raw = base64.b64decode(token)
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    dec = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
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
