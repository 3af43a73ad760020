"""Forms of the duty-activity pages. Deputies are named as a clerk has them — a 名单 pasted
from a notice, separated by 、，, spaces or lines; a name two deputies share is written with
the delegation, 张伟（城东区）."""

from __future__ import annotations

import re

from django import forms

from lvzhi.deputies.activity_models import Activity, ActivityKind, Attendance
from lvzhi.deputies.activity_services import Roll
from lvzhi.deputies.models import Deputy, DeputyGroup, LiaisonStation

SEPARATORS = re.compile(r"[、，,；;\s]+")
QUALIFIED = re.compile(r"^(?P<name>[^（(]+)[（(](?P<delegation>[^）)]+)[）)]$")


def resolve_names(congress_id: int, text: str, label: str) -> list[Deputy]:
    """The congress's deputies named in `text`, in order; a ValidationError lists every name
    it cannot place."""
    names = [n for n in SEPARATORS.split(text.strip()) if n]
    if not names:
        return []
    pool: dict[str, list[Deputy]] = {}
    for d in Deputy.objects.filter(congress_id=congress_id).select_related("delegation"):
        pool.setdefault(d.name, []).append(d)
    found, unknown, shared = [], [], []
    for raw in names:
        m = QUALIFIED.match(raw)
        name, where = (m["name"], m["delegation"]) if m else (raw, "")
        matches = [d for d in pool.get(name, []) if not where or d.delegation.name.startswith(where)]
        if not matches:
            unknown.append(raw)
        elif len(matches) > 1:
            shared.append(name)
        else:
            found.append(matches[0])
    errors = []
    if unknown:
        errors.append(f"{label}中的“{'、'.join(unknown)}”不是本级代表，请核对姓名")
    if shared:
        errors.append(f"{label}中的“{'、'.join(shared)}”有重名代表，请写明代表团，如 {shared[0]}（城东区）")
    if errors:
        raise forms.ValidationError(errors)
    return found


class ActivityForm(forms.ModelForm):
    present = forms.CharField(label="出席代表", widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="姓名之间用顿号、逗号、空格或换行分隔；重名的写明代表团，如 张伟（城东区）")
    leave = forms.CharField(label="请假代表", required=False, widget=forms.Textarea(attrs={"rows": 1}))
    leave_reason = forms.CharField(label="请假事由", required=False, max_length=200)
    absent = forms.CharField(label="缺席代表", required=False, widget=forms.Textarea(attrs={"rows": 1}),
                             help_text="未请假也未出席的；列席常委会会议缺席的计入履职档案")

    class Meta:
        model = Activity
        fields = ["kind", "title", "held_on", "place", "hours", "station", "group", "summary"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, congress_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress_id = congress_id
        self.fields["station"].queryset = LiaisonStation.objects.filter(congress_id=congress_id)
        self.fields["group"].queryset = DeputyGroup.objects.filter(congress_id=congress_id)
        if self.instance.pk and not self.is_bound:
            by = {a: [] for a in Attendance.values}
            for p in self.instance.participations.select_related("deputy__delegation").order_by("id"):
                by[p.attendance].append(p.deputy)
                if p.leave_reason:
                    self.initial["leave_reason"] = p.leave_reason
            for key in ("present", "leave", "absent"):
                self.initial[key] = "、".join(self._shown(d) for d in by[key])

    def _shown(self, deputy: Deputy) -> str:
        twins = Deputy.objects.filter(congress_id=self.congress_id, name=deputy.name).count()
        return f"{deputy.name}（{deputy.delegation.name.removesuffix('代表团')}）" if twins > 1 else deputy.name

    def clean(self):
        data = super().clean()
        roll = Roll(leave_reason=data.get("leave_reason", ""))
        errors = []
        for key in ("present", "leave", "absent"):
            try:
                setattr(roll, key, resolve_names(self.congress_id, data.get(key, ""), self.fields[key].label))
            except forms.ValidationError as err:
                errors.extend(err.messages)
        if errors:
            raise forms.ValidationError(errors)
        data["roll"] = roll
        return data


class SelfReportForm(forms.ModelForm):
    """A deputy's own activity: the kinds a deputy does alone or outside an organised one."""

    class Meta:
        model = Activity
        fields = ["kind", "title", "held_on", "place", "hours", "summary"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 4, "placeholder": "做了什么、收集了哪些意见"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in ActivityKind
                                       if k != ActivityKind.ATTEND_MEETING]  # 列席 is the office's to record
        self.fields["summary"].required = True


class DisputeForm(forms.Form):
    dispute = forms.CharField(label="异议说明", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "请说明异议，例如“当天请假未参加”"})


class SettleForm(forms.Form):
    attendance = forms.ChoiceField(label="核实后的出勤", choices=Attendance.choices)
    leave_reason = forms.CharField(label="请假事由", required=False, max_length=200)
