"""The hotline order's transition forms (the pages, the generic case page and the API share them)."""

from __future__ import annotations

from django import forms

from lvzhi.cases.workflow import TransitionForm
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.requests.hotline_models import FollowWay, HotlineRating


def _text(label: str, min_length: int = 0, rows: int = 3, required: bool = True, max_length: int = 2000):
    kw = {"min_length": min_length} if min_length else {}
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)


class OpenForm(TransitionForm):
    """One row of the 12345 export (the import prepares it)."""

    order_no = forms.CharField(label="工单号", max_length=40)
    content = _text("诉求内容", 5, max_length=5000)
    unit_name = forms.CharField(label="承办单位", max_length=100, required=False)
    accepted_on = forms.DateField(label="受理时间", required=False)
    due_on = forms.DateField(label="时限", required=False)
    source_status = forms.CharField(label="状态", max_length=20, required=False)
    import_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RefreshForm(OpenForm):
    pass


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.delegation.name}）"


class AssignForm(TransitionForm):
    deputy = DeputyChoice(label="督办代表", queryset=Deputy.objects.none())
    note = _text("分派说明", rows=2, required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = (Deputy.objects.filter(congress_id=self.case.congress_id,
                                                                status=DeputyStatus.ACTIVE)
                                          .select_related("delegation").order_by("delegation_id", "id"))


class FollowForm(TransitionForm):
    way = forms.ChoiceField(label="方式", choices=FollowWay.choices)
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = _text("情况", 5, 3, max_length=1000)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > self.today:
            raise forms.ValidationError("日期不能晚于今天")
        return on


class CloseForm(TransitionForm):
    closure = _text("办结情况", 5, 3, max_length=2000)
    rating = forms.ChoiceField(label="群众评价（回访结果）", choices=HotlineRating.choices)
