"""The problem's transition forms, shared by the generic case page and the API. Every message
is the clerk's Chinese and names the field and its limit."""

from __future__ import annotations

from django import forms

from lvzhi.cases.handling.common import AssignmentField, own_assignments
from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Verdict
from lvzhi.cases.workflow import TransitionForm
from lvzhi.supervision.models import Opinion

TITLE_MIN, TITLE_MAX = 5, 200
TEXT_MIN = 10
REPORT_MIN = 20
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANSWERING = (AssignmentRole.LEAD, AssignmentRole.SPLIT)


class OpinionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Opinion) -> str:
        return f"{obj.topic.year}年 {obj.title}"


class ProblemForm(TransitionForm):
    title = forms.CharField(label="问题", min_length=TITLE_MIN, max_length=TITLE_MAX, error_messages={
        "required": "请填写问题（一句话概括）",
        "min_length": f"问题至少{TITLE_MIN}个字，当前%(show_value)d字",
        "max_length": f"问题最多{TITLE_MAX}个字，当前%(show_value)d字"})
    body = forms.CharField(label="问题表现", min_length=TEXT_MIN, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请写明问题的具体表现",
                                           "min_length": f"问题表现至少{TEXT_MIN}个字，当前%(show_value)d字"})
    requirement = forms.CharField(label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opinion = OpinionField(label="所属审议意见", queryset=Opinion.objects.none(), required=False,
                           error_messages={"invalid_choice": "所选审议意见不存在"})
    due_on = forms.DateField(label="整改时限", widget=DATE_WIDGET, error_messages={
        "required": "请填写整改时限", "invalid": "整改时限应为日期，如2027-03-31"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].queryset = Opinion.objects.filter(
            topic__congress_id=self.case.congress_id).select_related("topic").order_by("-id")
        self.fields["opinion"].empty_label = "（不属于某份审议意见）"
        detail = getattr(self.case, "problem_detail", None) if self.case.pk else None
        if detail is not None and not self.is_bound:
            self.initial.update(title=self.case.title, body=self.case.body, requirement=detail.requirement,
                                opinion=detail.opinion_id, due_on=detail.due_on)

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < self.today:
            raise forms.ValidationError(f"整改时限{due:%Y-%m-%d}早于今天，请重新填写")
        return due


def own_rectifying(form: TransitionForm):
    """The caller's unit's assignments still rectifying (a unit user only their own)."""
    return own_assignments(form, role__in=ANSWERING, state=AssignmentState.HANDLING)


class ProgressForm(TransitionForm):
    assignment = AssignmentField(label="整改任务", queryset=Assignment.objects.none(), error_messages={
        "required": "请选择整改任务", "invalid_choice": "只能报送本单位负责整改的问题"})
    text = forms.CharField(label="整改方案或进展", min_length=TEXT_MIN, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写整改方案或进展",
                                           "min_length": f"整改方案或进展至少{TEXT_MIN}个字，当前%(show_value)d字"})
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100, error_messages={
        "required": "请填写完成进度", "invalid": "完成进度应为0到100之间的整数",
        "min_value": "完成进度应为0到100之间的整数", "max_value": "完成进度应为0到100之间的整数"})
    evidence = forms.CharField(label="佐证材料", required=False, max_length=500,
                               help_text="文件文号、现场照片说明、会议纪要等")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_rectifying(self)


class RectifyReportForm(TransitionForm):
    assignment = AssignmentField(label="整改任务", queryset=Assignment.objects.none(), error_messages={
        "required": "请选择整改任务", "invalid_choice": "只能报送本单位负责整改的问题"})
    text = forms.CharField(label="整改报告", min_length=REPORT_MIN, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": "请填写整改报告",
                                           "min_length": f"整改报告至少{REPORT_MIN}个字，当前%(show_value)d字："
                                                         "请写明整改措施、完成情况和长效机制"})
    evidence = forms.CharField(label="佐证材料", max_length=500, error_messages={
        "required": "整改报告须附佐证材料（文件文号、照片说明、验收记录等）"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_rectifying(self)


class EvaluateRectifyForm(TransitionForm):
    verdict = forms.ChoiceField(label="评价", choices=Verdict.choices, widget=forms.RadioSelect,
                                error_messages={"required": "请选择评价：满意、基本满意或不满意"})
    comment = forms.CharField(label="评价意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.UNSATISFIED and len(data.get("comment") or "") < 5:
            raise forms.ValidationError("评价为“不满意”时请写明整改不到位之处（至少5个字），以便重新整改")
        return data


class ProposeCloseOutForm(TransitionForm):
    evidence = forms.CharField(
        label="整改完成情况和佐证", min_length=TEXT_MIN, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明整改完成情况及佐证（验收记录、文件文号、现场核查情况等）",
        error_messages={"required": "提请销号须写明整改完成情况和佐证材料",
                        "min_length": f"整改完成情况和佐证至少{TEXT_MIN}个字，当前%(show_value)d字"})


class ReasonForm(TransitionForm):
    reason = forms.CharField(label="理由", min_length=5, max_length=300, error_messages={
        "required": "请写明理由", "min_length": "理由至少5个字，当前%(show_value)d字"})
