"""The training page's form: what a clerk fills, with the enrolled deputies as a pasted 名单
(or 全体代表 for a 全员培训)."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import ClerkMessages
from lvzhi.deputies.activity_forms import resolve_names
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.deputies.training_models import TrainingForm as Form


class NewTrainingForm(ClerkMessages, forms.Form):
    title = forms.CharField(label="培训名称", max_length=200, min_length=4)
    form = forms.ChoiceField(label="培训形式", choices=Form.choices)
    held_on = forms.DateField(label="培训日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=200)
    hours = forms.DecimalField(label="学时（小时）", min_value=0.5, max_value=200, decimal_places=1)
    topic = forms.CharField(label="培训内容", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    everyone = forms.BooleanField(label="全体履职中的代表参加", required=False)
    names = forms.CharField(label="参训代表名单", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="姓名之间用顿号、逗号、空格或换行分隔；重名的写明代表团，如 张伟（城东区）")

    def __init__(self, *args, congress_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress_id = congress_id

    def clean(self):
        data = super().clean()
        if data.get("everyone"):
            data["deputies"] = list(Deputy.objects.filter(congress_id=self.congress_id, status=DeputyStatus.ACTIVE))
        else:
            deputies = resolve_names(self.congress_id, data.get("names") or "", "参训代表名单")
            if not deputies:
                self.add_error("names", "请填写参训代表名单，或勾选全体代表参加")
            data["deputies"] = deputies
        return data
