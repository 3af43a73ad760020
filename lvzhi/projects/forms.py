"""民生实事项目's forms: parse and check the shape of input; the rules live in services."""

from __future__ import annotations

from django import forms

from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.projects.models import Threshold, TieRule


class RoundForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    places = forms.IntegerField(label="正式项目数", min_value=1, max_value=50, initial=10)
    threshold = forms.ChoiceField(label="当选门槛", choices=Threshold.choices, initial=Threshold.ALL_DEPUTIES)
    tie_rule = forms.ChoiceField(label="末位票数相同", choices=TieRule.choices, initial=TieRule.REVOTE)


class CandidateForm(forms.Form):
    title = forms.CharField(label="项目名称", max_length=120)
    budget_wan = forms.DecimalField(label="预算（万元）", max_digits=12, decimal_places=2, min_value=0)
    department = forms.ModelChoiceField(label="责任单位", queryset=Organization.objects.none())
    location = forms.CharField(label="实施地点（区、街道）", max_length=120)
    start_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_on = forms.DateField(label="完成日期", widget=forms.DateInput(attrs={"type": "date"}))
    expected = forms.CharField(label="预期效果", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organization.objects.filter(
            congress_id=congress_id, kind=OrganizationKind.UNIT, is_active=True).order_by("sort_order", "id")


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=80)
    weight = forms.IntegerField(label="权重", min_value=1, max_value=100, initial=1)
    planned_on = forms.DateField(label="计划完成日期", widget=forms.DateInput(attrs={"type": "date"}))
