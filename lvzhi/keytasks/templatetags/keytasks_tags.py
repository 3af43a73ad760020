"""Display helpers for the key task pages (no inline styles: the CSP forbids them)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct_class(value) -> str:
    """A progress bar's width class, kt-w-0 … kt-w-100 in steps of 5 (keytasks.css)."""
    try:
        p = max(0, min(100, int(value)))
    except (TypeError, ValueError):
        p = 0
    return f"kt-w-{round(p / 5) * 5}"
