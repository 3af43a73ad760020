"""The forms of a topic's work page: one per record. Each refuses bad input with the clerk's
Chinese, naming the field and its limit; the services write only what a form cleaned."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from lvzhi.core.models import Role, User
from lvzhi.core.validation import ClerkForm
from lvzhi.documents.uploads import UploadError, check_upload, max_upload_bytes
from lvzhi.supervision import timeline
from lvzhi.supervision.models import (
    AppraiseeKind,
    CheckKind,
    FollowUp,
    InquiryOfficial,
    Topic,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTACHMENT_TYPES = {"pdf", "docx", "doc", "jpg", "png", "ofd"}
SCORE_MIN, SCORE_MAX = 0, 100
MEMBER_ROLES = (Role.LEADER, Role.COMMITTEE_STAFF, Role.CLERK, Role.DEPUTY)
ASKER_ROLES = (Role.LEADER, Role.COMMITTEE_STAFF, Role.DEPUTY)


class UserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        who = obj.display_name or obj.username
        return f"{who}（{obj.get_role_display()}）"


def congress_users(topic: Topic, roles) -> QuerySet[User]:
    return User.objects.filter(congress_id=topic.congress_id, role__in=roles,
                               is_active=True).order_by("role", "display_name", "id")


class TopicBoundForm(ClerkForm):
    """A form that knows its topic."""

    def __init__(self, *args, topic: Topic, **kwargs):
        self.topic = topic
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # Django's "---------" in the words of the page
            if isinstance(field, forms.ModelChoiceField) and field.empty_label:
                field.empty_label = "（请选择）"


class StepForm(TopicBoundForm):
    step = forms.ChoiceField(label="环节", choices=())
    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="文号或说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="如 北辰政函〔2026〕18号；汇总意见一步请写明汇总的意见")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.code, s.label) for s in timeline.steps(self.topic.congress_id)]

    def clean(self):
        data = super().clean()
        if data.get("step") == "summary" and len(data.get("note", "").strip()) < 10:
            self.add_error("note", "汇总各方面意见（监督法第十四条）请写明意见要点，至少10个字")
        return data


class PlanForm(TopicBoundForm):
    law = forms.CharField(label="检查的法律法规", max_length=200)
    scope = forms.CharField(label="检查范围和重点", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data


class MemberForm(TopicBoundForm):
    user = UserField(label="成员", queryset=User.objects.none(),
                     help_text="可以邀请本级人大代表参加（监督法第三十三条）")
    duty = forms.ChoiceField(label="职务", choices=[(d, d) for d in ("组长", "副组长", "成员")], initial="成员")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = congress_users(self.topic, MEMBER_ROLES).exclude(
            pk__in=self.topic.inspection_members.values("user_id"))


class CheckForm(TopicBoundForm):
    kind = forms.ChoiceField(label="检查方式", choices=CheckKind.choices)
    held_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    participants = forms.CharField(label="参加人员", max_length=500, required=False)
    notes = forms.CharField(label="检查情况", max_length=5000, min_length=10, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label="附件或照片", required=False,
                                 help_text="PDF、Word、OFD 或 JPG/PNG 照片")

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f:
            try:
                check_upload(f, ATTACHMENT_TYPES, max_upload_bytes())
            except UploadError as err:
                raise forms.ValidationError(err.message) from None
        return f


class InspectionReportForm(TopicBoundForm):
    evaluation = forms.CharField(label="法律法规实施情况评价", min_length=10, max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label="存在的问题", min_length=10, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    suggestions = forms.CharField(label="改进执法工作的建议", min_length=10, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    amendments = forms.CharField(label="修改完善法律法规的建议", required=False, max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label="报告日期", widget=DATE)


class ResearchReportForm(TopicBoundForm):
    findings = forms.CharField(label="发现的问题", min_length=10, max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(label="报告正文", min_length=20, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    done_on = forms.DateField(label="报告日期", widget=DATE)


class OfficialForm(TopicBoundForm):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="单位及职务", max_length=100, help_text="如 市住房和城乡建设局局长")
    present = forms.BooleanField(label="到会", required=False, initial=True)


class QuestionForm(TopicBoundForm):
    asker = UserField(label="询问人", queryset=User.objects.none())
    addressed_to = forms.ModelChoiceField(label="应询人", queryset=InquiryOfficial.objects.none())
    text = forms.CharField(label="询问问题", min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label="答复要点", required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asker"].queryset = congress_users(self.topic, ASKER_ROLES)
        self.fields["addressed_to"].queryset = self.topic.inquiry_officials.all()


class QuestionField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.text[:40]


class AnswerForm(TopicBoundForm):
    question = QuestionField(label="询问问题", queryset=None)
    answer = forms.CharField(label="答复要点", min_length=5, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = self.topic.inquiry_questions.all()


class FollowUpForm(TopicBoundForm):
    item = forms.CharField(label="交办事项", min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label="研究处理机关", max_length=100)
    due_on = forms.DateField(label="报告期限", widget=DATE)


class FollowUpReportForm(TopicBoundForm):
    follow_up = forms.ModelChoiceField(label="交办事项", queryset=FollowUp.objects.none())
    reported_on = forms.DateField(label="报告日期", widget=DATE)
    report = forms.CharField(label="研究处理情况", min_length=10, max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].queryset = self.topic.inquiry_follow_ups.all()


class AppraiseeForm(TopicBoundForm):
    kind = forms.ChoiceField(label="类别", choices=AppraiseeKind.choices)
    name = forms.CharField(label="姓名或单位", max_length=100)
    post = forms.CharField(label="职务", max_length=100, required=False)


class CriterionForm(TopicBoundForm):
    name = forms.CharField(label="评议内容", max_length=100)
    weight = forms.IntegerField(label="权重（%）", min_value=1, max_value=100)

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        used = sum(self.topic.criteria.values_list("weight", flat=True))
        if used + weight > 100:
            raise forms.ValidationError(f"各项权重合计不能超过100%，已有{used}%，本项最多{100 - used}%")
        return weight


class SheetForm(TopicBoundForm):
    """One member's sheet: a score field per criterion, built from the topic's criteria."""

    appraisee = forms.ModelChoiceField(label="评议对象", queryset=None)
    member = UserField(label="评议人", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appraisee"].queryset = self.topic.appraisees.all()
        self.fields["member"].queryset = congress_users(self.topic, ASKER_ROLES)
        self.criteria = list(self.topic.criteria.all())
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.name}（{c.weight}%）", min_value=SCORE_MIN, max_value=SCORE_MAX,
                error_messages={"min_value": f"“{c.name}”的分数应在{SCORE_MIN}到{SCORE_MAX}分之间",
                                "max_value": f"“{c.name}”的分数应在{SCORE_MIN}到{SCORE_MAX}分之间"})

    def clean(self):
        data = super().clean()
        if not self.criteria:
            raise forms.ValidationError("请先设置评议指标，再录入打分表")
        return data

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class VisitForm(TopicBoundForm):
    visited_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    participants = forms.CharField(label="参加人员", max_length=500)
    notes = forms.CharField(label="调研情况", min_length=10, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


# The page's record endpoints: what -> (form, the forms of supervision it belongs to).
FORMS: dict[str, tuple[type[TopicBoundForm], tuple[str, ...]]] = {
    "step": (StepForm, ("work_report",)),
    "plan": (PlanForm, ("law_inspection",)),
    "member": (MemberForm, ("law_inspection",)),
    "check": (CheckForm, ("law_inspection",)),
    "inspection_report": (InspectionReportForm, ("law_inspection",)),
    "official": (OfficialForm, ("inquiry",)),
    "question": (QuestionForm, ("inquiry",)),
    "answer": (AnswerForm, ("inquiry",)),
    "follow_up": (FollowUpForm, ("inquiry",)),
    "follow_up_report": (FollowUpReportForm, ("inquiry",)),
    "appraisee": (AppraiseeForm, ("appraisal",)),
    "criterion": (CriterionForm, ("appraisal",)),
    "sheet": (SheetForm, ("appraisal",)),
    "visit": (VisitForm, ("research", "visit")),
    "research_report": (ResearchReportForm, ("research", "visit")),
}
