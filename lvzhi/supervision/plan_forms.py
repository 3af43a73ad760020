"""The annual plan's page forms (ClerkForm: a clear Chinese message per field)."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from lvzhi.core.models import Congress, Organization, OrganizationKind, Role, User
from lvzhi.core.validation import ClerkForm
from lvzhi.deputies.models import Deputy
from lvzhi.supervision.models import (
    AdjustmentKind,
    Channel,
    JointKind,
    Plan,
    Topic,
    TopicForm,
    TopicStage,
)

DATE = forms.DateInput(attrs={"type": "date"})
FORM_CHOICES = [("", "请选择")] + list(TopicForm.choices)


class CandidateForm(ClerkForm):
    title = forms.CharField(label="候选议题", max_length=200)
    channel = forms.ChoiceField(label="来源渠道（监督法第十二条）", choices=[("", "请选择")] + list(Channel.choices))
    form = forms.ChoiceField(label="建议监督形式", choices=[("", "未定")] + list(TopicForm.choices), required=False)
    proposer_name = forms.CharField(label="提出人或单位", max_length=100, required=False,
                                    help_text="不填写则为本人所在机构")
    source_ref = forms.CharField(label="线索来源", max_length=200, required=False,
                                 help_text="如 信访件汇总、执法检查报告、12345热线工单分析")
    reason = forms.CharField(label="立项理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ScoreForm(ClerkForm):
    importance = forms.IntegerField(label="重要性", min_value=0, max_value=100)
    urgency = forms.IntegerField(label="紧迫性", min_value=0, max_value=100)
    feasibility = forms.IntegerField(label="可行性", min_value=0, max_value=100)


def _committees(congress_id: int):
    return Organization.objects.filter(congress_id=congress_id, kind=OrganizationKind.COMMITTEE).order_by("name")


class DecisionForm(ClerkForm):
    decision = forms.ChoiceField(label="主任会议决定", choices=[("accept", "列入计划"), ("reject", "不列入")],
                                 widget=forms.RadioSelect)
    form = forms.ChoiceField(label="监督形式", choices=FORM_CHOICES, required=False)
    lead_committee = forms.ModelChoiceField(label="牵头委员会", queryset=Organization.objects.none(), required=False)
    supervised_body = forms.CharField(label="监督对象", max_length=100, required=False)
    meeting_on = forms.DateField(label="常委会会议日期", required=False, widget=DATE)
    note = forms.CharField(label="决定意见", max_length=300, required=False)
    reason = forms.CharField(label="调整理由（计划已公布时必填）", max_length=1000, required=False)

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = _committees(congress_id)


class ApproveForm(ClerkForm):
    note = forms.CharField(label="主任会议意见", max_length=300, required=False)


class AdjustForm(ClerkForm):
    topic = forms.ModelChoiceField(label="议题", queryset=Topic.objects.none(), empty_label="请选择议题")
    kind = forms.ChoiceField(label="调整类型", choices=[("", "请选择")] + [
        c for c in AdjustmentKind.choices if c[0] != AdjustmentKind.ADDED])
    new_meeting_on = forms.DateField(label="调整后会议日期", required=False, widget=DATE)
    detail = forms.CharField(label="调整内容", max_length=300, required=False)
    reason = forms.CharField(label="调整理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = plan.topics.exclude(stage=TopicStage.REMOVED).order_by("meeting_on", "id")


class TopicDetailsForm(ClerkForm):
    supervised_body = forms.CharField(label="监督对象", max_length=100, required=False)
    meeting_on = forms.DateField(label="常委会会议日期", required=False, widget=DATE)
    summary = forms.CharField(label="工作安排", max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    schedule = forms.CharField(label="时间节点（每行一个）", max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="如：2026-03 制定工作方案；2026-05 开展执法检查；2026-06 听取审议报告")
    members = forms.ModelMultipleChoiceField(label="参加的常委会组成人员", queryset=User.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    deputies = forms.ModelMultipleChoiceField(label="参加的人大代表", queryset=Deputy.objects.none(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 6}))
    joint_kind = forms.ChoiceField(label="三级联动", choices=JointKind.choices, required=False)
    joint_with = forms.ModelMultipleChoiceField(label="联动的人大", queryset=Congress.objects.none(),
                                                required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, topic: Topic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cid = topic.congress_id
        self.fields["members"].queryset = User.objects.filter(
            congress_id=cid, is_active=True, role__in=[Role.LEADER, Role.COMMITTEE_STAFF]).order_by("role", "id")
        self.fields["members"].label_from_instance = lambda u: u.name
        self.fields["deputies"].queryset = Deputy.objects.filter(congress_id=cid).order_by("name")
        congress = topic.congress
        self.fields["joint_with"].queryset = Congress.objects.filter(
            Q(pk=congress.parent_id) | Q(parent_id=cid)).order_by("level", "name")
        if topic.plan is not None and topic.plan.is_published:
            # After publication the date moves only by a 主任会议 adjustment (第六十三条).
            del self.fields["meeting_on"]
