"""催办: the office presses the units that still owe something on a case — a reply, a
co-opinion, a re-handling, a promise — with an optional note. It changes no state; the event
and the units' notifications are the record that they were pressed.

`fire(case, "urge", user, {"note": …})` urges every such unit; the case page lets the clerk
untick some. The deadline monitor's batch 催办 fires it once per selected case.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.deadlines import Lights
from lvzhi.cases.handling.common import notify_units
from lvzhi.cases.handling.states import HANDLING, REPLIED
from lvzhi.cases.models import Case, Deadline
from lvzhi.cases.workflow import Context, TransitionForm, transition
from lvzhi.core.models import Organization

NOTE_MAX = 200  # with the case and its deadlines, a notification holds 300 characters


def owing_clocks(case: Case) -> QuerySet[Deadline]:
    """The case's open duty clocks held by a unit (reply, co-opinion, re-handling, promise …)."""
    return (Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False,
                                    kind__in=duty_codes(), assignment__isnull=False)
            .select_related("assignment__unit").order_by("due_on", "id"))


def owing_units(case: Case) -> QuerySet[Organization]:
    return Organization.objects.filter(
        pk__in=owing_clocks(case).values("assignment__unit_id")).order_by("id")


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class UrgeForm(TransitionForm):
    # Required so that a case with nobody left to press offers no 催办 (policy.has_choices);
    # left out of the data, it means every unit that owes something.
    units = UnitsField(label="催办单位", queryset=Organization.objects.none(),
                       widget=forms.CheckboxSelectMultiple,
                       error_messages={"required": "请至少选择一个催办单位",
                                       "invalid_choice": "所选单位在该案件上没有未完成的期限，无需催办",
                                       "invalid_pk_value": "催办单位应为单位ID"})
    note = forms.CharField(label="催办意见", required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2, "placeholder": "可不填，如：请于本周内报送答复"}),
                           error_messages={"max_length": f"催办意见最多{NOTE_MAX}字，当前%(show_value)d字"})

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        qs = owing_units(self.case)
        self.fields["units"].queryset = qs
        self.initial.setdefault("units", [u.pk for u in qs])
        if self.is_bound and not _given(self.data, "units"):
            data = self.data.copy()
            ids = [str(u.pk) for u in qs]
            if hasattr(data, "setlist"):
                data.setlist("units", ids)
            else:
                data["units"] = ids
            self.data = data


def _given(data, key: str) -> bool:
    value = data.getlist(key) if hasattr(data, "getlist") else data.get(key)
    return bool(value)


def urge_effect(ctx: Context) -> None:
    units = list(ctx.data["units"])
    note = ctx.data["note"].strip()
    chosen = {u.pk for u in units}
    lights = Lights(ctx.today)
    owed = [(d.assignment.unit.name, lights.of(d, ctx.case.congress_id).text)
            for d in owing_clocks(ctx.case) if d.assignment.unit_id in chosen]
    ctx.payload.update(units=[u.name for u in units], note=note,
                       deadlines=[f"{unit}：{text}" for unit, text in owed])
    case = ctx.case
    what = "；".join(text for _unit, text in owed[:3])
    text = f"催办：{case.number or case.title}（{what}），请抓紧办理"
    message = f"{text}。催办意见：{note}" if note else text
    notify_units(ctx, [u.pk for u in units], message[:300])


def transitions(spec) -> list:
    # REPLIED: answered, but a promise (or a late co-opinion) is still open; the form then has
    # only those units, and none at all when nothing is owed (not offered).
    return [transition("urge", "催办", [HANDLING, REPLIED], None, ["office"], form=UrgeForm,
                       effect=urge_effect, style="outline-danger",
                       help="提醒尚有未完成期限的承办单位抓紧办理，不改变案件状态")]
