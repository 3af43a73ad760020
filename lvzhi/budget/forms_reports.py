"""The 专项监督报告 form: the period the draft covers (its rules live in report.create)."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import ClerkMessages


class ReportForm(ClerkMessages, forms.Form):
    start = forms.DateField(label="报告期间起", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="报告期间止", widget=forms.DateInput(attrs={"type": "date"}))
