"""Template helpers: Bootstrap widgets, state badges and deadline lights (display only)."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html

register = template.Library()



@register.filter
def bs(field: forms.BoundField) -> str:
    """Render a field's widget with the Bootstrap class its type needs."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-inline"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_radio(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect)


@register.simple_tag
def state_badge(case) -> str:
    """The state's label and colour as the case's kind declares them."""
    state = case.kind_def.state(case.state)
    # a kind may name its second rounds (重新办理中); the flash message says the same
    return format_html('<span class="badge badge-state text-bg-{}">{}</span>', state.color,
                       case.state_round_label)


@register.simple_tag
def light_dot(light: str, label: str = "") -> str:
    return format_html('<span class="light light-{}" title="{}"></span>', light, label)


@register.simple_tag
def deadline_light(status, fallback: str = "—") -> str:
    """A light with what it says ("答复期限 剩12天"), kept on one line; `status` is a
    lvzhi.cases.deadlines.DeadlineLight, or None (then `fallback`, e.g. 已完成)."""
    if status is None:
        if fallback == "已完成":
            return format_html('<span class="light-text"><span class="light light-done" title="{}">'
                               '</span> <span class="text-muted">{}</span></span>', fallback, fallback)
        return format_html('<span class="text-muted">{}</span>', fallback)
    tone = {"red": "text-danger fw-semibold", "yellow": "text-warning-emphasis"}.get(status.light, "text-muted")
    return format_html('<span class="light-text" data-light="{}"><span class="light light-{}" title="{}"></span> '
                       '<span class="{}">{}</span></span>', status.light, status.light,
                       status.colour_label, tone, status.text)
