"""The petition and mediation pages' forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from lvzhi.core.validation import ClerkMessages
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.requests.citizen_forms import clean_phone
from lvzhi.requests.petition_models import MediationResult, PetitionOutcome


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.delegation.name}）"


class _WithDeputy(ClerkMessages, forms.Form):
    """The 代表工委 picks the deputy; a deputy records his or her own (the field is left out)."""

    def __init__(self, *args, congress_id: int, pick_deputy: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if pick_deputy:
            self.fields = {"deputy": DeputyChoice(
                label="代表", queryset=Deputy.objects.filter(congress_id=congress_id, status=DeputyStatus.ACTIVE)
                .select_related("delegation")), **self.fields}


def _not_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天")
    return day


class PetitionForm(_WithDeputy):
    petitioner = forms.CharField(label="信访人", max_length=30)
    contact = forms.CharField(label="联系电话", max_length=20, required=False, help_text="加密保存，只显示部分号码")
    matter = forms.CharField(label="信访事项", min_length=5, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    agency = forms.CharField(label="办理机关", max_length=100, help_text="如 城东区信访局、市人力资源和社会保障局")
    taken_on = forms.DateField(label="接受代办日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_contact(self):
        value = self.cleaned_data.get("contact", "")
        return clean_phone(value) if value else ""

    def clean_taken_on(self):
        return _not_future(self.cleaned_data["taken_on"])


class PetitionCloseForm(ClerkMessages, forms.Form):
    outcome = forms.ChoiceField(label="代办结果", choices=[c for c in PetitionOutcome.choices if c[0] != "open"])
    outcome_text = forms.CharField(label="结果说明", min_length=5, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    closed_on = forms.DateField(label="办结日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_closed_on(self):
        return _not_future(self.cleaned_data["closed_on"])


class MediationForm(_WithDeputy):
    court = forms.CharField(label="法院", max_length=60, initial="北辰市城东区人民法院")
    case_no = forms.CharField(label="案号或登记号", max_length=60, required=False)
    dispute = forms.CharField(label="纠纷类型", max_length=40, help_text="如 物业服务合同纠纷、民间借贷纠纷")
    summary = forms.CharField(label="纠纷概况", min_length=5, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    mediated_on = forms.DateField(label="调解日期", widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label="调解结果", choices=MediationResult.choices)
    result_text = forms.CharField(label="结果说明", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def clean_mediated_on(self):
        return _not_future(self.cleaned_data["mediated_on"])


class MediationSettleForm(ClerkMessages, forms.Form):
    result = forms.ChoiceField(label="调解结果", choices=[c for c in MediationResult.choices if c[0] != "pending"])
    result_text = forms.CharField(label="结果说明", min_length=2, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
