"""Demo placeholder (filled below)."""

from __future__ import annotations


def build(builder) -> None:
    return None


def summary(congress) -> str:
    return ""
