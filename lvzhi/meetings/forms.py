"""The meetings' forms; every message in Chinese (lvzhi.core.validation)."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import apply_messages
from lvzhi.meetings.models import Confidentiality, ItemType, MeetingType, NominationAction


class _Form(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            apply_messages(field, field.label or name)
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                              else "form-control")


class MeetingForm(_Form):
    meeting_type = forms.ChoiceField(label="会议类型", choices=MeetingType.choices)
    number = forms.CharField(label="会次", max_length=40, help_text="如 第二十三次会议")
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=100, required=False)


class ItemForm(_Form):
    title = forms.CharField(label="议题", max_length=200)
    item_type = forms.ChoiceField(label="议题类型", choices=ItemType.choices)
    rapporteur = forms.CharField(label="报告人", max_length=100, required=False)
    confidentiality = forms.ChoiceField(label="密级", choices=Confidentiality.choices)
    named_vote = forms.BooleanField(label="记名表决", required=False)


class MaterialForm(_Form):
    title = forms.CharField(label="材料名称", max_length=200, required=False)
    file = forms.FileField(label="文件（Word .docx 或 PDF）")


class NomineeForm(_Form):
    name = forms.CharField(label="姓名", max_length=30)
    post = forms.CharField(label="职务", max_length=100)
    # not "action": the pages' forms name their operation so
    nomination = forms.ChoiceField(label="任免", choices=NominationAction.choices)
    organ = forms.CharField(label="提请机关", max_length=100, initial="市人民政府")


class PaperForm(_Form):
    cast = forms.IntegerField(label="收回选票", min_value=0)
    invalid = forms.IntegerField(label="无效票", min_value=0, initial=0)
    yes = forms.IntegerField(label="赞成", min_value=0)
    no = forms.IntegerField(label="反对", min_value=0)
    abstain = forms.IntegerField(label="弃权", min_value=0)


class OathForm(_Form):
    on = forms.DateField(label="宣誓日期", widget=forms.DateInput(attrs={"type": "date"}))
    administered_by = forms.CharField(label="监誓人", max_length=50)
