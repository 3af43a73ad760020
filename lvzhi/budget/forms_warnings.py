"""The budget warning's transition forms (its pages, the generic case page and the API share them)
and the filter form of the warnings list."""

from __future__ import annotations

from django import forms

from lvzhi.budget.models import BudgetUnit
from lvzhi.budget.states import STATES
from lvzhi.cases.handling.common import UnitChoiceField
from lvzhi.cases.workflow import TransitionForm
from lvzhi.core.models import Organization


def _text(label: str, *, required: bool = True, rows: int = 3, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class OpenForm(TransitionForm):
    """One finding of the rule run (warnings.open_warning prepares it)."""

    rule = forms.CharField(label="预警规则", max_length=40)
    key = forms.CharField(label="预警对象", max_length=200)
    title = forms.CharField(label="标题", max_length=200)
    unit = forms.ModelChoiceField(label="部门", queryset=BudgetUnit.objects.none(), required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=0, max_value=12, required=False)
    measured = forms.DecimalField(label="监测值", max_digits=18, decimal_places=2, required=False)
    threshold = forms.DecimalField(label="预警阈值", max_digits=18, decimal_places=2, required=False)
    basis = forms.CharField(label="依据", max_length=200)
    evidence = forms.JSONField(label="数据", required=False)
    # Set by the rule run, which tells the 预算工委 once per run instead of once per warning.
    quiet = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = BudgetUnit.objects.filter(congress_id=self.case.congress_id)

    def clean(self):
        data = super().clean()
        if len(data.get("rule", "")) + len(data.get("key", "")) + 1 > 200:  # WarningDetail.open_key
            raise forms.ValidationError("预警规则和预警对象合计最多199字")
        return data


class ReasonForm(TransitionForm):
    reason = _text("理由", max_length=1000)


class NoteForm(TransitionForm):
    note = _text("意见", required=False, rows=2, max_length=1000)


class LiftForm(TransitionForm):
    reason = _text("解除原因", max_length=1000)


class PushForm(TransitionForm):
    """To the finance bureau or the warning's own department (its BudgetUnit's organisation)."""

    unit = UnitChoiceField(label="推送单位", queryset=Organization.objects.none())
    note = _text("推送意见", required=False, rows=2, max_length=1000)

    def __init__(self, *args, **kwargs):
        from lvzhi.budget.warnings import default_push_target, push_targets

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = push_targets(self.case)
        if not self.is_bound and self.case.pk:
            default = default_push_target(self.case)
            if default is not None:
                self.initial.setdefault("unit", default.pk)


class AnswerForm(TransitionForm):
    text = _text("说明或整改情况", rows=5, max_length=5000)


class ListFilter(forms.Form):
    """The warnings list's filters; every field optional, a wrong value is simply ignored."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(required=False, choices=[("", "全部状态"), *[(s.code, s.label) for s in STATES]])
    rule = forms.CharField(required=False, max_length=40)
    unit = forms.IntegerField(required=False, min_value=1)
    month = forms.IntegerField(required=False, min_value=0, max_value=12)
