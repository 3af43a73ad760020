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
    label = state.label
    if case.round > 1 and not state.terminal:  # a kind may name its second rounds (重新办理中)
        label = case.kind_def.words.get(f"round_label_{case.state}", "{label}（第{round}轮）").format(
            label=label, round=case.round, state=case.state)
    return format_html('<span class="badge badge-state text-bg-{}">{}</span>', state.color, label)


@register.simple_tag
def light_dot(light: str, label: str = "") -> str:
    return format_html('<span class="light light-{}" title="{}"></span>', light, label)
