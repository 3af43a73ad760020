"""Demo data for 民生实事项目 (filled below)."""

from __future__ import annotations


def build(builder) -> None:
    return None


def summary(congress) -> str:
    return ""
