"""Numbers read from an address or a form field: ASCII digits only and within a 64-bit id, so
"²" or a 22-digit number is a missing parameter (or a Chinese message), never a 500."""

from __future__ import annotations

ID_MAX = 2**63 - 1  # the largest primary key any of our databases stores


def id_param(raw: str | None) -> int | None:
    """A positive id, or None when `raw` is not one."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= ID_MAX:
        return int(raw)
    return None


def int_param(raw: str | None, lo: int, hi: int) -> int | None:
    """An integer in [lo, hi], or None."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) <= 19 and lo <= int(raw) <= hi:
        return int(raw)
    return None


def ids_param(values: list[str]) -> list[int]:
    return [i for i in (id_param(v) for v in values) if i is not None]
