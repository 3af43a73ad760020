"""The filing kind's transition forms: the same forms serve its pages, the generic case page and
the API. Intake's checks (lvzhi.filing.intake) run in `clean`, so bad input changes nothing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from lvzhi.cases.models import Case
from lvzhi.cases.workflow import TransitionForm
from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.filing import intake
from lvzhi.filing.choices import BODY_DOC_KINDS, Criterion, DocKind, Outcome
from lvzhi.filing.permissions import filing_body_of

ACCEPT = ".pdf,.docx,.doc,.ofd"


def _file(label: str, required: bool = True) -> forms.FileField:
    return forms.FileField(label=label, required=required,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           error_messages={"required": f"请上传{label}"})


def _text(label: str, min_length: int = 0, rows: int = 3, required: bool = True) -> forms.CharField:
    kw = {"min_length": min_length} if min_length else {}
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class FileForm(TransitionForm):
    """报送备案: the document with its 文号, publication date, basis, 起草说明 and text."""

    doc_kind = forms.ChoiceField(label="文件类别", choices=DocKind.choices)
    title = forms.CharField(label="文件标题", max_length=200)
    doc_number = forms.CharField(label="文号", max_length=60, help_text="如 北政发〔2025〕12号")
    published_on = forms.DateField(label="公布日期", widget=forms.DateInput(attrs={"type": "date"}))
    basis = _text("制定依据", 4, 2)
    subjects = forms.CharField(label="涉及领域", max_length=200, required=False,
                               help_text="以顿号分隔，如 民营经济、营商环境")
    summary = _text("主要内容", 10, 3)
    text_file = _file("规范性文件文本")
    explanation_file = _file("起草说明")
    basis_file = _file("制定依据材料", required=False)
    late_reason = _text("逾期报送说明", rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = filing_body_of(self.actor) if self.actor is not None else None
        if self.body is not None:
            allowed = BODY_DOC_KINDS.get(self.body.kind, ())
            self.fields["doc_kind"].choices = [(c, label) for c, label in DocKind.choices if c in allowed]
            self.fields["basis"].help_text = "所依据的法律、法规及条款"
            self.fields["doc_number"].help_text = f"本机关代字：{'、'.join(self.body.prefix_list)}"

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        intake.check_published_on(day, self.today)
        return day

    def _check_file(self, name: str, label: str):
        f = self.cleaned_data.get(name)
        if f:
            intake.check_file(f, label)
        return f

    def clean_text_file(self):
        return self._check_file("text_file", "规范性文件文本")

    def clean_explanation_file(self):
        return self._check_file("explanation_file", "起草说明")

    def clean_basis_file(self):
        return self._check_file("basis_file", "制定依据材料")

    def clean(self):
        data = super().clean()
        if self.body is None:
            raise ValidationError("您的账号不属于任何制定机关，不能报送备案")
        text = data.get("doc_number")
        if text:
            try:
                number = intake.parse_doc_number(text, self.body.prefix_list)
            except ValidationError as e:
                self.add_error("doc_number", e)
            else:
                data["number"] = number
                data["doc_number"] = str(number)
                day = data.get("published_on")
                if day is not None and number.year != day.year:
                    self.add_error("doc_number", f"文号年份{number.year}与公布日期的年份{day.year}不一致")
                from lvzhi.filing.models import FilingDetail

                if FilingDetail.objects.filter(body=self.body, doc_number=str(number)).exists():
                    self.add_error("doc_number", f"{number} 已经报送备案，不能重复报送")
        data["body"] = self.body
        return data


class ReasonForm(TransitionForm):
    reason = _text("理由", 5, 2)


class SupplementRequestForm(TransitionForm):
    request = _text("需补充的材料", 5, 3)


class SupplementForm(TransitionForm):
    file = _file("补充材料")
    note = _text("说明", rows=2, required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        intake.check_file(f, "补充材料")
        return f


class RegisterForm(TransitionForm):
    note = _text("登记意见", rows=2, required=False)


class DistributeForm(TransitionForm):
    """分送: the committees that review with the 法工委 (it leads and keeps the review clock)."""

    committees = forms.ModelMultipleChoiceField(label="分送专门委员会", queryset=Organization.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    note = _text("分送意见", rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committees"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.COMMITTEE, is_active=True).order_by("id")
        self.fields["committees"].label_from_instance = lambda o: o.name


class FindingForm(TransitionForm):
    criterion = forms.ChoiceField(label="审查标准", choices=Criterion.choices)
    provision = forms.CharField(label="文件条款", max_length=100, help_text="如 第八条第二款")
    upper_law = forms.CharField(label="上位法依据", max_length=200, required=False,
                                help_text="如 《中华人民共和国行政处罚法》第十六条")
    reason = _text("理由", 10, 4)
    obvious = forms.BooleanField(label="明显违反法律法规，应当立即停止执行", required=False)

    def clean(self):
        data = super().clean()
        if data.get("criterion") == Criterion.UPPER_LAW and not data.get("upper_law"):
            self.add_error("upper_law", "违反上位法的，请写明所违反的上位法及条款")
        return data


class ExtendReviewForm(TransitionForm):
    months = forms.IntegerField(label="延长(月)", min_value=1, max_value=3, initial=3)
    reason = _text("延长理由", 5, 2)


class TerminateForm(TransitionForm):
    outcome = forms.ChoiceField(label="审查结果", choices=[
        (Outcome.NO_PROBLEM, Outcome.NO_PROBLEM.label), (Outcome.SELF_CORRECTED, Outcome.SELF_CORRECTED.label),
        (Outcome.CORRECTED, Outcome.CORRECTED.label)])
    text = _text("审查结论", 5, 3)
    public = forms.BooleanField(label="公开审查结果", required=False)


class CommunicateForm(TransitionForm):
    text = _text("沟通的问题和意见", 10, 4)


class PlanForm(TransitionForm):
    plan = _text("书面处理计划", 10, 4)
    plan_due_on = forms.DateField(label="计划完成日期", widget=forms.DateInput(attrs={"type": "date"}))
    file = _file("书面处理计划文件", required=False)

    def clean_plan_due_on(self):
        day = self.cleaned_data["plan_due_on"]
        if day < self.today:
            raise ValidationError("计划完成日期不能早于今天")
        return day

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f:
            intake.check_file(f, "书面处理计划文件")
        return f


class RefileForm(TransitionForm):
    file = _file("修改后文本")
    note = _text("修改情况说明", 5, 3)

    def clean_file(self):
        f = self.cleaned_data["file"]
        intake.check_file(f, "修改后文本")
        return f


class OpinionForm(TransitionForm):
    text = _text("书面审查意见", 20, 6)


class AnswerForm(TransitionForm):
    CHOICES = [("accept", "同意修改或者废止（提出处理计划）"), ("refuse", "不同意修改（说明理由）")]
    decision = forms.ChoiceField(label="处理意见", choices=CHOICES, widget=forms.RadioSelect)
    text = _text("书面处理意见", 10, 4)
    plan_due_on = forms.DateField(label="计划完成日期", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept":
            day = data.get("plan_due_on")
            if day is None:
                self.add_error("plan_due_on", "同意修改的，请填写计划完成日期")
            elif day < self.today:
                self.add_error("plan_due_on", "计划完成日期不能早于今天")
        return data


class ProposeForm(TransitionForm):
    from lvzhi.filing.choices import CouncilOption as _CO

    option = forms.ChoiceField(label="处理建议", choices=_CO.choices)
    reason = _text("提请理由", 10, 4)


class DecideForm(TransitionForm):
    DECISIONS = [("correct", "限期修改或者废止"), ("revoke", "予以撤销")]
    decision = forms.ChoiceField(label="常委会决定", choices=DECISIONS, widget=forms.RadioSelect)
    text = _text("决定内容", 10, 4)


class CorrectionReportForm(TransitionForm):
    text = _text("纠正情况报告", 10, 4)
    file = _file("修改或者废止后的文件", required=False)

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f:
            intake.check_file(f, "修改或者废止后的文件")
        return f


class StopOrderForm(TransitionForm):
    text = _text("停止执行通知", 10, 4)


class LinkForm(TransitionForm):
    """存在相同问题的其他备案文件, handled together."""

    others = forms.ModelMultipleChoiceField(label="存在相同问题的文件", queryset=Case.objects.none())
    note = _text("说明", rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from lvzhi.filing.states import REVIEWING

        self.fields["others"].queryset = Case.objects.filter(
            congress_id=self.case.congress_id, kind="filing", state__in=REVIEWING).exclude(
            pk=self.case.pk).order_by("-id")
        self.fields["others"].label_from_instance = lambda c: f"{c.number} {c.title}"


class TakeRequestForm(TransitionForm):
    """受理审查建议 (fired by the review_request kind's start_review)."""

    request = forms.ModelChoiceField(label="审查建议", queryset=Case.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = Case.objects.filter(congress_id=self.case.congress_id,
                                                              kind="review_request")
