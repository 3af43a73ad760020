"""The deputies' question form on the draft budget. Fields only: the checks and their Chinese
messages live in participation.ask, so the page, the API and the demo refuse the same way."""

from __future__ import annotations

from django import forms


class QuestionForm(forms.Form):
    # A CharField with a select: an unknown code reaches participation.ask, which names it.
    unit_code = forms.CharField(label="涉及部门（可不选）", required=False, max_length=20, widget=forms.Select)
    function_code = forms.CharField(label="涉及功能分类科目（可不填）", required=False, max_length=7,
                                    help_text="类、款或项的编码，如 205（教育支出）、20502")
    text = forms.CharField(label="问题或意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, units: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].widget.choices = [("", "不涉及具体部门"), *units]
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")
        self.fields["unit_code"].widget.attrs["class"] = "form-select"


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", required=False, widget=forms.Textarea(attrs={"rows": 3}))
