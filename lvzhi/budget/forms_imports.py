"""The budget import's forms: the upload (dataset, period, source, file) and the confirmation note.
They check the shape of the input; what the rows must be is the import service's business."""

from __future__ import annotations

from django import forms

from lvzhi.budget.models import Dataset

MONTHS = [("", "（非月度数据不选）")] + [(str(m), f"{m}月") for m in range(1, 13)]


class UploadForm(forms.Form):
    dataset = forms.ChoiceField(label="数据类别", choices=Dataset.choices, initial=Dataset.EXECUTION)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="月份", choices=MONTHS, coerce=int, required=False, empty_value=0,
                                   help_text="月度执行数据必选")
    source = forms.CharField(label="数据来源", max_length=60, initial="市财政局预算管理一体化系统")
    declared_total = forms.DecimalField(label="合计（万元）", max_digits=16, decimal_places=2, required=False,
                                        help_text="可选：填写报表合计数，与文件各行合计核对")
    file = forms.FileField(label="文件（.xlsx 或 .csv）", help_text="整月全市执行数据等大文件请用CSV（最多20万行）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select" if isinstance(f.widget, forms.Select) else "form-control"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("dataset") == Dataset.EXECUTION and not data.get("month"):
            self.add_error("month", "月度执行数据须选择月份（1至12月）")
        return data


class ConfirmForm(forms.Form):
    note = forms.CharField(label="更正说明", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "placeholder": "如：财政局更正3月教育支出科目"}))
