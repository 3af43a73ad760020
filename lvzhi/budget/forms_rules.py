"""The warning rules' settings form: one per rule, its fields made from the rule's declared parameters."""

from __future__ import annotations

from django import forms

from lvzhi.budget.rules import Rule
from lvzhi.core.validation import ClerkForm


class RuleForm(ClerkForm):
    """"enabled" and the rule's parameters; the ranges checked here are checked again by the service."""

    enabled = forms.BooleanField(label="启用", required=False)

    def __init__(self, rule: Rule, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", rule.code)
        super().__init__(*args, **kwargs)
        self.rule = rule
        for p in rule.params:
            bounds = {"min_value": p.minimum, "max_value": p.maximum}
            if p.kind == "decimal":
                field: forms.Field = forms.DecimalField(label=p.label, max_digits=12, decimal_places=2, **bounds)
            elif p.kind == "int":
                field = forms.IntegerField(label=p.label, min_value=int(p.minimum) if p.minimum is not None else None,
                                           max_value=int(p.maximum) if p.maximum is not None else None)
            elif p.kind == "choice":
                field = forms.ChoiceField(label=p.label, choices=p.choices)
            else:
                field = forms.BooleanField(label=p.label, required=False)
            field.help_text = p.help
            css = "form-check-input" if p.kind == "bool" else ("form-select form-select-sm" if p.kind == "choice"
                                                                else "form-control form-control-sm")
            field.widget.attrs["class"] = css
            self.fields[p.name] = field
        self.fields["enabled"].widget.attrs["class"] = "form-check-input"
