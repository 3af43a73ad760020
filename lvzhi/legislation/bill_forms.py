"""The bill pages' forms (ClerkForm: a clear Chinese message per field); the rules they check live
in lvzhi.legislation.bills."""

from __future__ import annotations

from django import forms

from lvzhi.core.models import Organization, OrganizationKind, User
from lvzhi.core.validation import ClerkForm
from lvzhi.legislation.choices import Action, Field, ReadingOrdinal, RegulationStatus
from lvzhi.legislation.models import Regulation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class BillForm(ClerkForm):
    title = forms.CharField(label="法规案名称", max_length=200, help_text="如 北辰市电动自行车管理条例（草案）")
    action = forms.ChoiceField(label="立法行为", choices=[(a, lbl) for a, lbl in Action.choices
                                                      if a != Action.AMEND_DECISION])
    regulation = forms.ModelChoiceField(label="现行法规（修改、修订、废止的选择）", queryset=Regulation.objects.none(),
                                        required=False, empty_label="新制定的法规不选")
    field = forms.ChoiceField(label="立法事项（立法法第八十一条）", choices=Field.choices, required=False)
    proposer = forms.CharField(label="提案人", max_length=100, initial="市人民政府")
    drafting_body = forms.CharField(label="起草单位", max_length=100, required=False)
    lead_committee = forms.ModelChoiceField(label="审议专门委员会", queryset=Organization.objects.none(),
                                            required=False, empty_label="请选择")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regulation"].queryset = Regulation.objects.filter(congress_id=user.congress_id,
                                                                       status=RegulationStatus.IN_FORCE)
        self.fields["lead_committee"].queryset = Organization.objects.filter(
            congress_id=user.congress_id, kind=OrganizationKind.COMMITTEE)


class TeamForm(ClerkForm):
    leader_congress = forms.CharField(label="组长（人大）", max_length=60, help_text="如 张伟（市人大常委会副主任）")
    leader_government = forms.CharField(label="组长（政府）", max_length=60, help_text="如 王强（副市长）")
    members = forms.CharField(label="专班成员", required=False, widget=TEXTAREA, help_text="一行一人：姓名、单位职务")


class ProposeForm(ClerkForm):
    proposed_on = forms.DateField(label="提请审议日期", widget=DATE)


class ReadingForm(ClerkForm):
    ordinal = forms.TypedChoiceField(label="审次", choices=ReadingOrdinal.choices, coerce=int)
    meeting = forms.CharField(label="常委会会议", max_length=100, help_text="如 市十六届人大常委会第二十三次会议")
    meeting_on = forms.DateField(label="会议日期", widget=DATE)


class DraftForm(ClerkForm):
    label = forms.CharField(label="稿本", max_length=40, help_text="如 草案（一审稿）、草案（征求意见稿）、表决稿")
    reading = forms.TypedChoiceField(label="对应审议", required=False, coerce=int, empty_value=None, choices=())
    text = forms.CharField(label="草案全文", widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="一段一行：章节标题单独一行，条文以“第X条”开头")
    explanation = forms.CharField(label="起草或修改说明", required=False, widget=TEXTAREA)

    def __init__(self, *args, readings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reading"].choices = [("", "不对应某次审议")] + [(r.pk, r.get_ordinal_display()) for r in readings]


class SentForm(ClerkForm):
    sent_on = forms.DateField(label="印发组成人员日期", widget=DATE)


class ReportForm(ClerkForm):
    text = forms.CharField(label="法制委员会审议结果报告", widget=forms.Textarea(attrs={"rows": 5}))


class SummaryForm(ClerkForm):
    summary = forms.CharField(label="审议意见摘要", widget=forms.Textarea(attrs={"rows": 4}))


class VoteForm(ClerkForm):
    voted_on = forms.DateField(label="表决日期", widget=DATE)
    members_total = forms.IntegerField(label="常委会组成人员总数", min_value=1, max_value=500)
    votes_for = forms.IntegerField(label="赞成", min_value=0, max_value=500)
    votes_against = forms.IntegerField(label="反对", min_value=0, max_value=500)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, max_value=500)
    reason = forms.CharField(label="减少审次的理由（不足三审时必填，立法法第三十三条）", required=False,
                             widget=TEXTAREA)


class SubmitForm(ClerkForm):
    submitted_on = forms.DateField(label="报请批准日期", widget=DATE)


class ApprovalForm(ClerkForm):
    approved_on = forms.DateField(label="批准日期", widget=DATE)
    decision = forms.CharField(label="批准决定", max_length=300,
                               help_text="如 ××省（自治区）人民代表大会常务委员会关于批准《北辰市……条例》的决定")


class PublishForm(ClerkForm):
    published_on = forms.DateField(label="公布日期", widget=DATE)
    decision = forms.CharField(label="公告或修改决定", max_length=300, required=False,
                               help_text="如 北辰市人民代表大会常务委员会公告（第12号）")
    gazette_issue = forms.CharField(label="常委会公报期号", max_length=60, required=False, help_text="如 2026年第3号")
    gazette_on = forms.DateField(label="公报刊登日期", widget=DATE, required=False)
    website_on = forms.DateField(label="网站公布日期", widget=DATE, required=False)
    newspaper = forms.CharField(label="刊登报纸", max_length=60, required=False, initial="北辰日报")
    newspaper_on = forms.DateField(label="报纸刊登日期", widget=DATE, required=False)
    effective_on = forms.DateField(label="施行日期", widget=DATE)


class WithdrawForm(ClerkForm):
    reason = forms.CharField(label="撤回理由", widget=TEXTAREA)
