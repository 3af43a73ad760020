"""The review request's transition forms (the portal, the generic case page and the API share
them) and the portal's form. TransitionForm gives the Chinese messages for required fields and
lengths; the checks a request needs beyond those are here, so bad input changes nothing."""

from __future__ import annotations

import contextvars
import re

from django import forms
from django.core.exceptions import ValidationError

from lvzhi.cases.models import Case
from lvzhi.cases.workflow import TransitionForm
from lvzhi.filing.choices import Criterion
from lvzhi.filing.request_models import DeclineGround, ProposerKind
from lvzhi.filing.states import RETURNED

PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
REASONS_MIN = 10
# Set by request_services.start_review only: 启动审查 is fired with the filing's 受理审查建议 in one
# transaction, never alone from the generic case page or the API.
STARTING: contextvars.ContextVar[bool] = contextvars.ContextVar("review_request_starting", default=False)


def _text(label: str, min_length: int = 0, rows: int = 3, required: bool = True, max_length: int = 0):
    kw = {"min_length": min_length} if min_length else {}
    if max_length:
        kw["max_length"] = max_length
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


def filings_open_to_requests(congress_id: int):
    """The filed documents a request may name: every registered filing of the congress."""
    return (Case.objects.filter(congress_id=congress_id, kind="filing", registered_at__isnull=False)
            .exclude(state=RETURNED).select_related("filing_detail").order_by("-registered_at", "-pk"))


class FilingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        d = getattr(obj, "filing_detail", None)
        return f"{d.doc_number}《{obj.title}》" if d else obj.title


def clean_contact(value: str) -> str:
    value = re.sub(r"\s+", "", value or "")
    if not (PHONE.match(value) or EMAIL.match(value)):
        raise ValidationError("联系方式应为手机号、固定电话或电子邮箱")
    return value


class RequestForm(TransitionForm):
    """提出审查建议 (北京 第二十四条: 文件名称、审查的事项和理由、提起人的名称、联系方式)."""

    filing = FilingChoice(label="建议审查的备案文件", queryset=Case.objects.none(), required=False,
                          empty_label="（不在列表中，下面填写文件名称）")
    document_title = forms.CharField(label="文件名称", max_length=200, required=False,
                                     help_text="列表中没有该文件时填写，如 北辰市某某管理办法")
    proposer_kind = forms.ChoiceField(label="提起人类别", choices=ProposerKind.choices)
    proposer_name = forms.CharField(label="姓名或名称", max_length=100)
    contact = forms.CharField(label="联系方式", max_length=60, help_text="手机号、固定电话或电子邮箱，不会公开")
    provisions = forms.CharField(label="建议审查的条款", max_length=200, required=False, help_text="如 第八条第二款")
    criteria = forms.MultipleChoiceField(label="认为存在的情形", choices=Criterion.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    reasons = _text("审查的事项和理由", REASONS_MIN, 5, max_length=3000)
    ip_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing"].queryset = filings_open_to_requests(self.case.congress_id)

    def clean_contact(self) -> str:
        return clean_contact(self.cleaned_data.get("contact", ""))

    def clean(self):
        data = super().clean()
        if not data.get("filing") and not (data.get("document_title") or "").strip():
            self.add_error("document_title", "请在列表中选择建议审查的文件，或者填写文件名称")
        return data


class CompletionRequestForm(TransitionForm):
    request = _text("需补充完整的内容", 5, 3, max_length=1000)


class CompleteForm(TransitionForm):
    text = _text("补充的内容", 5, 4, max_length=3000)
    provisions = forms.CharField(label="建议审查的条款", max_length=200, required=False)


class RegisterForm(TransitionForm):
    filing = FilingChoice(label="对应的备案文件", queryset=Case.objects.none(), required=False,
                          help_text="提起人未选择时，登记时确认")
    note = _text("登记说明", rows=2, required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing"].queryset = filings_open_to_requests(self.case.congress_id)


class NotRegisterForm(TransitionForm):
    reason = _text("不予登记的理由", 5, 3, max_length=1000)


class DeclineForm(TransitionForm):
    ground = forms.ChoiceField(label="不启动审查的情形（第二十五条）", choices=DeclineGround.choices)
    reason = _text("理由", 5, 3, max_length=2000)


class TellForm(TransitionForm):
    how = forms.ChoiceField(label="告知方式", choices=[("phone", "电话告知"), ("letter", "书面告知"),
                                                     ("email", "电子邮件告知")])
    note = _text("告知情况", rows=2, required=False, max_length=500)


class StartForm(TransitionForm):
    note = _text("启动审查说明", rows=2, required=False, max_length=500)

    @property
    def applies(self) -> bool:
        return STARTING.get()


class FeedBackForm(TransitionForm):
    text = _text("反馈的审查结果", 10, 4, max_length=3000)
    publish = forms.BooleanField(label="同时公开审查结果", required=False)


class PublishForm(TransitionForm):
    note = _text("说明", rows=2, required=False, max_length=300)

    @property
    def applies(self) -> bool:
        detail = getattr(self.case, "review_request_detail", None)
        return detail is not None and not detail.result_public


class PortalForm(forms.Form):
    """The portal's page: RequestForm's fields plus the arithmetic check (the service re-checks all)."""

    filing = forms.CharField(required=False)
    document_title = forms.CharField(label="文件名称", max_length=200, required=False)
    proposer_kind = forms.ChoiceField(label="提起人类别", choices=ProposerKind.choices, initial=ProposerKind.CITIZEN)
    proposer_name = forms.CharField(label="姓名或名称", max_length=100)
    contact = forms.CharField(label="联系方式", max_length=60, help_text="手机号、固定电话或电子邮箱，不会公开")
    provisions = forms.CharField(label="建议审查的条款", max_length=200, required=False, help_text="如 第八条第二款")
    criteria = forms.MultipleChoiceField(label="认为存在的情形（可多选）", choices=Criterion.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    reasons = forms.CharField(label="审查的事项和理由", widget=forms.Textarea(attrs={"rows": 6}))
    answer = forms.CharField(label="验证", required=False, max_length=10)
