"""Scores said in words on clerks' and deputies' pages: a clerk reads "推荐度 高", not 0.87."""

from __future__ import annotations

from django import template

from lvzhi.intelligence.reply_check import LOW_RELEVANCE

register = template.Library()

# A calibrated probability over some thirty units: 0.6 and above is a near-certain pick,
# below 0.3 the model is guessing among several.
ROUTING_LEVELS = ((0.6, "高"), (0.3, "中"))
# Similar cases are listed from 0.33–0.35 (services.QUERY_THRESHOLD_WITH_VECTORS); copies score
# above 0.6 (docs/intelligence.md).
SIMILAR_LEVELS = ((0.6, "高度相近"), (0.45, "较为相近"))


def _level(value: object, levels: tuple[tuple[float, str], ...], lowest: str) -> str:
    try:
        score = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return next((word for cut, word in levels if score >= cut), lowest)


@register.filter
def routing_level(value: object) -> str:
    """推荐度 of a suggested unit: 高 / 中 / 低."""
    return _level(value, ROUTING_LEVELS, "低")


@register.filter
def similar_level(value: object) -> str:
    """How close a listed case is: 高度相近 / 较为相近 / 部分相近."""
    return _level(value, SIMILAR_LEVELS, "部分相近")


@register.filter
def relevance_level(value: object) -> str:
    """Reply ↔ suggestion: 高 / 中 / 低 (低 is what the check flags)."""
    return _level(value, ((LOW_RELEVANCE * 2, "高"), (LOW_RELEVANCE, "中")), "低")


@register.filter
def percent(value: object) -> str:
    """0.823 → "82%" (the model page's figures)."""
    try:
        return f"{float(value) * 100:.0f}%"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"
