"""The citizen's request's transition forms (the phone page, the generic case page and the API
share them). TransitionForm gives the Chinese messages for required fields and lengths; the
checks beyond those are here, so bad input changes nothing."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from lvzhi.cases.workflow import TransitionForm
from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.requests.citizen_models import Rating

PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
TEXT_MIN, TEXT_MAX = 10, 2000


def _text(label: str, min_length: int = 0, rows: int = 3, required: bool = True, max_length: int = 2000,
          help_text: str = ""):
    kw = {"min_length": min_length} if min_length else {}
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if not PHONE.match(value):
        raise ValidationError("请填写正确的手机号或固定电话，便于代表回复您")
    return value


def title_of(text: str) -> str:
    """The request's title: its first sentence, cut to 40 characters."""
    first = re.split(r"[。！？!?\n]", text.strip(), maxsplit=1)[0].strip() or text.strip()
    return first[:40] + ("…" if len(first) > 40 else "")


class RequestForm(TransitionForm):
    """代表码上见: what the citizen writes (photos are checked and kept by the service)."""

    text = _text("反映的问题或意见建议", TEXT_MIN, 6, max_length=TEXT_MAX,
                 help_text="请写明事情发生的地点、经过和您的诉求")
    name = forms.CharField(label="称呼", max_length=30, required=False, help_text="如 王女士，可不填")
    contact = forms.CharField(label="联系电话", max_length=20, help_text="仅代表和联络站可见，不会公开")
    location = forms.CharField(label="位置", max_length=120, required=False, help_text="如 东湖街道幸福小区3栋")
    deputy = forms.IntegerField(required=False, widget=forms.HiddenInput)
    station = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ip_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_contact(self) -> str:
        return clean_phone(self.cleaned_data.get("contact", ""))

    def clean_text(self) -> str:
        text = (self.cleaned_data.get("text") or "").strip()
        if len(text) < TEXT_MIN:
            raise ValidationError(f"请至少写{TEXT_MIN}个字，说明您反映的问题")
        return text

    def clean(self):
        data = super().clean()
        if not data.get("deputy") and not data.get("station"):
            raise ValidationError("请扫描代表或联络站的二维码后提交")
        return data


class NoteForm(TransitionForm):
    note = _text("告知群众", rows=2, required=False, max_length=500, help_text="如 已收到，将于近日实地查看")


class MeetForm(TransitionForm):
    met_on = forms.DateField(label="约见日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="约见地点", max_length=100)
    note = _text("约见情况", 5, 3, max_length=1000)


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class ForwardForm(TransitionForm):
    unit = UnitChoice(label="转交单位", queryset=Organization.objects.none())
    note = _text("转交意见", 5, 3, max_length=1000, help_text="请写明需要单位办理的事项")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.UNIT, is_active=True).order_by("name")


class UnitReplyForm(TransitionForm):
    text = _text("答复代表", TEXT_MIN, 5, max_length=3000, help_text="办理情况和结果，代表将据此答复群众")


class AnswerForm(TransitionForm):
    text = _text("答复群众", TEXT_MIN, 5, max_length=3000, help_text="群众凭查询码可以看到，并作出评价")


class ToSuggestionForm(TransitionForm):
    title = forms.CharField(label="建议标题", max_length=200, min_length=5)
    body = _text("建议内容", 50, 8, max_length=20000)
    text = _text("告知群众", TEXT_MIN, 3, max_length=1000,
                 help_text="如 您反映的问题具有普遍性，我已将其作为代表建议提出，交有关部门研究办理")


class DeclineForm(TransitionForm):
    reason = _text("不予受理的理由", 5, 3, max_length=1000,
                   help_text="如 属于诉讼、仲裁、行政复议途径解决的事项，请告知群众依法解决的途径")


class RateForm(TransitionForm):
    rating = forms.ChoiceField(label="您对办理结果的评价", choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="评价意见", max_length=300, required=False)


class ReopenForm(TransitionForm):
    reason = _text("仍未解决的问题", 5, 3, max_length=1000)


class ExpireForm(TransitionForm):
    pass
