"""Forms of the 发文目录, special reviews and the annual report; the services check what matters."""

from __future__ import annotations

from django import forms

from lvzhi.filing.choices import Criterion, DocKind
from lvzhi.filing.models import FilingBody, SpecialTrigger


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label="目录年度", min_value=2000, max_value=2100)
    upload = forms.FileField(label="上传发文目录（Excel）", required=False,
                             help_text="请下载模板填写：文号、文件名称、类别（制定/修改/废止）、公布日期")
    lines = forms.CharField(label="或在此逐行填写", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="每行一件：文号 | 文件名称 | 类别 | 公布日期，"
                                      "如 北政发〔2025〕12号 | 关于……的通知 | 制定 | 2025-03-01")

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not (data.get("lines") or "").strip():
            raise forms.ValidationError("请上传 Excel 发文目录，或在文本框中逐行填写。")
        return data


class SpecialForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    cleanup = forms.BooleanField(label="集中清理", required=False)
    trigger = forms.ChoiceField(label="启动情形（北京 第十八条）", choices=SpecialTrigger.choices)
    subject = forms.CharField(label="涉及领域", max_length=60, required=False,
                              help_text="如 民营经济；按备案文件的涉及领域选取")
    criterion = forms.ChoiceField(label="重点审查标准", required=False, choices=[("", "（不限）"), *Criterion.choices])
    doc_kind = forms.ChoiceField(label="文件类别", required=False, choices=[("", "（全部）"), *DocKind.choices])
    body = forms.ModelChoiceField(label="制定机关", required=False, queryset=FilingBody.objects.none(),
                                  empty_label="（全部）")
    year = forms.IntegerField(label="文号年份", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = FilingBody.objects.filter(congress_id=congress_id)


class SpecialReportForm(forms.Form):
    reported_on = forms.DateField(label="主任会议听取日期", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="报告情况", widget=forms.Textarea(attrs={"rows": 4}))


class DateForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
