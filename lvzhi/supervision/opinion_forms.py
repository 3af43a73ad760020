"""The 审议意见 pages' forms; the rules they check live in lvzhi.supervision.opinions."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import ClerkForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpinionForm(ClerkForm):
    title = forms.CharField(label="标题", max_length=200)
    recipient = forms.CharField(label="交办对象", max_length=100, initial="市人民政府")
    evaluation = forms.CharField(label="总体评价", widget=forms.Textarea(attrs={"rows": 4}))
    suggestions = forms.CharField(label="改进工作的意见", widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="逐条写明；存在的问题请在审议意见下逐条新增为问题清单条目")


class DecideForm(ClerkForm):
    approve = forms.TypedChoiceField(label="审定结果", choices=[("1", "审定通过"), ("0", "退回修改")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    report_due_on = forms.DateField(label="研究处理情况报告期限（不填则自交办之日起按规则计算）", required=False,
                                    widget=DATE_WIDGET)
    resolution_due_on = forms.DateField(label="决议执行情况报告期限（作出决议的填写）", required=False,
                                        widget=DATE_WIDGET)


class SendForm(ClerkForm):
    number = forms.CharField(label="文号", max_length=60, required=False, help_text="如 北人常办〔2026〕15号")


class ReportForm(ClerkForm):
    text = forms.CharField(label="研究处理情况报告", widget=forms.Textarea(attrs={"rows": 6}))
