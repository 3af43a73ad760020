"""沟通联系 (三见面): the unit records each contact with whoever raised the case."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from lvzhi.cases.handling.common import AssignmentField, own_assignments
from lvzhi.cases.handling.states import HANDLING, REPLIED
from lvzhi.cases.models import Assignment, AssignmentState, Contact, ContactMethod, ContactStage
from lvzhi.cases.workflow import Context, TransitionForm, transition


class ContactForm(TransitionForm):
    assignment = AssignmentField(label="承办任务", queryset=Assignment.objects.none())
    stage = forms.ChoiceField(label="阶段", choices=ContactStage.choices)
    method = forms.ChoiceField(label="方式", choices=ContactMethod.choices)
    happened_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label="参加人员", required=False, max_length=200)
    summary = forms.CharField(label="沟通情况", min_length=5, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(self).exclude(
            state=AssignmentState.WITHDRAWN)

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("沟通日期不能晚于今天")
        return day


def contact_effect(ctx: Context) -> None:
    d = ctx.data
    c = Contact.objects.create(case=ctx.case, assignment=d["assignment"], stage=d["stage"],
                               method=d["method"], happened_on=d["happened_on"],
                               participants=d.get("participants", ""), summary=d["summary"],
                               recorded_by=ctx.actor)
    ctx.payload.update(unit=d["assignment"].unit.name, stage=c.get_stage_display(),
                       method=c.get_method_display(), happened_on=c.happened_on.isoformat(),
                       summary=c.summary[:200])


def transitions(spec) -> list:
    return [transition("log_contact", "登记沟通联系", [HANDLING, REPLIED], None,
                       [*spec.handler_relations, *spec.head_relations], form=ContactForm,
                       effect=contact_effect, style="outline-primary")]
