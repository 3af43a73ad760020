"""The plan and legislative-suggestion pages' forms (ClerkForm: a clear Chinese message per field);
the rules they check live in lvzhi.legislation.plan_services and lvzhi.legislation.suggestions."""

from __future__ import annotations

from django import forms

from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.core.validation import ClerkForm
from lvzhi.legislation.choices import Action, RegulationStatus
from lvzhi.legislation.models import ContactPoint, Regulation
from lvzhi.legislation.plan_models import (
    ItemKind,
    LegislativePlan,
    PlanAdjustmentKind,
    PlanItem,
    SuggestionChannel,
    SuggestionOutcome,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(ClerkForm):
    title = forms.CharField(label="项目名称", max_length=200, help_text="如 北辰市物业管理条例（修订）")
    kind = forms.ChoiceField(label="项目类别", choices=ItemKind.choices)
    action = forms.ChoiceField(label="立法行为", choices=[(a, lbl) for a, lbl in Action.choices
                                                      if a != Action.AMEND_DECISION])
    regulation = forms.ModelChoiceField(label="现行法规（修改、修订、废止的选择）", queryset=Regulation.objects.none(),
                                        required=False, empty_label="新制定的不选")
    drafting_body = forms.CharField(label="起草单位", max_length=100, required=False, help_text="如 市住房和城乡建设局")
    committee = forms.ModelChoiceField(label="牵头专门委员会", queryset=Organization.objects.none(), required=False,
                                       empty_label="请选择")
    planned_readings = forms.CharField(label="计划审议时间", max_length=100, required=False,
                                       help_text="如 4月一审、8月二审")
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="调整理由（计划已公布后增加项目时必填）", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, congress_id: int, published: bool = False, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regulation"].queryset = Regulation.objects.filter(congress_id=congress_id,
                                                                       status=RegulationStatus.IN_FORCE)
        self.fields["committee"].queryset = Organization.objects.filter(congress_id=congress_id,
                                                                        kind=OrganizationKind.COMMITTEE)
        if editing or not published:
            del self.fields["reason"]


class ApproveForm(ClerkForm):
    on = forms.DateField(label="主任会议日期", widget=DATE, required=False)
    note = forms.CharField(label="主任会议意见", max_length=300, required=False)


class AdjustForm(ClerkForm):
    item = forms.ModelChoiceField(label="项目", queryset=PlanItem.objects.none(), empty_label="请选择项目")
    kind = forms.ChoiceField(label="调整类型", choices=[("", "请选择")] + [
        c for c in PlanAdjustmentKind.choices if c[0] != PlanAdjustmentKind.ADDED])
    new_kind = forms.ChoiceField(label="调整后类别", choices=[("", "—")] + list(ItemKind.choices), required=False)
    on = forms.DateField(label="调整日期", widget=DATE, required=False)
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: LegislativePlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = plan.items.filter(dropped=False)


class SuggestionForm(ClerkForm):
    channel = forms.ChoiceField(label="来源渠道", choices=[("", "请选择")] + list(SuggestionChannel.choices))
    proposer = forms.CharField(label="建议人", max_length=100, help_text="个人、代表姓名或单位名称")
    contact_point = forms.ModelChoiceField(label="基层立法联系点", queryset=ContactPoint.objects.none(),
                                           required=False, empty_label="不是联系点收集的")
    title = forms.CharField(label="建议项目", max_length=200, help_text="如 建议制定北辰市电动自行车管理条例")
    text = forms.CharField(label="建议内容", widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="收到日期", widget=DATE)

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_point"].queryset = ContactPoint.objects.filter(congress_id=congress_id, is_active=True)


class DecideForm(ClerkForm):
    outcome = forms.ChoiceField(label="处理结果", choices=[c for c in SuggestionOutcome.choices if c[0]])
    item = forms.ModelChoiceField(label="计划项目", queryset=PlanItem.objects.none(), required=False,
                                  empty_label="不关联")
    reason = forms.CharField(label="说明（未采纳的必填）", max_length=300, required=False)

    def __init__(self, *args, congress_id: int, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = PlanItem.objects.filter(plan__congress_id=congress_id,
                                                               plan__year__in=[year, year + 1], dropped=False)
