"""Forms of public comment: they parse input; the services decide (lvzhi.legislation.comment_services)."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import ClerkMessages
from lvzhi.legislation.comment_models import Channel, Outcome
from lvzhi.legislation.comment_services import TEXT_MAX
from lvzhi.legislation.models import Draft

DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(ClerkMessages, forms.Form):
    draft = forms.ModelChoiceField(Draft.objects.none(), label="草案稿")
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE)
    channels = forms.MultipleChoiceField(label="征求意见渠道", choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple, initial=list(Channel.values))
    short_reason = forms.CharField(label="少于法定期限的理由", required=False, max_length=500,
                                   widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text="立法法第四十条：一般不少于三十日；期限较短的须写明理由")
    note = forms.CharField(label="征求意见说明", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = (Draft.objects.filter(bill__congress_id=congress_id)
                                         .select_related("bill").order_by("-pk"))


class PublicCommentForm(ClerkMessages, forms.Form):
    article = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 6}), required=False,
                           help_text=f"最多{TEXT_MAX}字")
    name = forms.CharField(label="署名（可不填）", required=False, max_length=40)
    contact = forms.CharField(label="联系方式（可不填，不公开）", required=False, max_length=60,
                              help_text="手机号或电子邮箱，仅供法制工作委员会联系您，不会公开")
    answer = forms.CharField(label="验证", required=False, max_length=4,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class OwnCommentForm(ClerkMessages, forms.Form):
    article = forms.ChoiceField(label="条款", required=False)
    text = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, articles: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "草案整体")] + articles


class MeetingForm(ClerkMessages, forms.Form):
    held_on = forms.DateField(label="座谈日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    participants = forms.IntegerField(label="参加人数", min_value=1, max_value=10000)


class ImportForm(MeetingForm):
    file = forms.FileField(label="意见表（.xlsx）")
    save_good = forms.BooleanField(label="有不能导入的行时，仍导入其余正确的行", required=False)


class DecideForm(ClerkMessages, forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=Outcome.choices)
    reason = forms.CharField(label="理由", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class SummaryForm(ClerkMessages, forms.Form):
    summary = forms.CharField(label="征求意见情况通报", widget=forms.Textarea(attrs={"rows": 14}), max_length=20000)
