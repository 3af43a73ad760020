"""督办: a leader marks a case key and names who supervises it; cases gathered in bundles."""

from __future__ import annotations

from django import forms

from lvzhi.cases.handling.states import ACTIVE
from lvzhi.cases.models import Bundle, Supervision, SupervisionKind
from lvzhi.cases.workflow import Context, TransitionForm, transition
from lvzhi.core.models import Organization, OrganizationKind, Role, User


class MarkKeyForm(TransitionForm):
    kind = forms.ChoiceField(label="督办方式", choices=SupervisionKind.choices,
                             initial=SupervisionKind.LEADER)
    leader = forms.ModelChoiceField(label="督办领导", queryset=User.objects.none(), required=False)
    committee = forms.ModelChoiceField(label="督办专工委", queryset=Organization.objects.none(),
                                       required=False)
    note = forms.CharField(label="督办要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(
            congress_id=self.case.congress_id, role=Role.LEADER, is_active=True)
        self.fields["committee"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.COMMITTEE)

    def clean(self):
        data = super().clean()
        if not data.get("leader") and not data.get("committee"):
            raise forms.ValidationError("请至少指定督办领导或督办专工委")
        return data


def mark_key_effect(ctx: Context) -> None:
    d = ctx.data
    ctx.case.is_key = True
    s = Supervision.objects.create(case=ctx.case, kind=d["kind"], leader=d.get("leader"),
                                   committee=d.get("committee"), note=d.get("note", ""),
                                   created_at=ctx.now)
    ctx.payload.update(kind=s.get_kind_display(), leader=str(s.leader or ""),
                       committee=str(s.committee or ""), note=s.note)


class BundleForm(TransitionForm):
    bundle = forms.ModelChoiceField(label="督办专题", queryset=Bundle.objects.none(),
                                    required=False)
    new_title = forms.CharField(label="或新建专题", required=False, max_length=120)
    committee = forms.ModelChoiceField(label="督办专工委", queryset=Organization.objects.none(),
                                       required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bundle"].queryset = Bundle.objects.filter(congress_id=self.case.congress_id)
        self.fields["committee"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.COMMITTEE)

    def clean(self):
        data = super().clean()
        if not data.get("bundle") and not data.get("new_title"):
            raise forms.ValidationError("请选择已有的督办专题，或填写新专题名称")
        if data.get("bundle") and data["bundle"].cases.filter(pk=self.case.pk).exists():
            raise forms.ValidationError("本案已在该专题中")
        return data


def bundle_effect(ctx: Context) -> None:
    bundle = ctx.data.get("bundle") or Bundle.objects.create(
        congress_id=ctx.case.congress_id, title=ctx.data["new_title"],
        committee=ctx.data.get("committee"))
    bundle.cases.add(ctx.case)
    ctx.payload.update(bundle=bundle.title, bundle_id=bundle.pk)


def transitions(spec, key_label: str = "确定为重点督办") -> list:
    return [
        transition("mark_key", key_label, ACTIVE, None, ["leader"], form=MarkKeyForm,
                   effect=mark_key_effect, style="outline-danger"),
        transition("add_to_bundle", "打捆督办", ACTIVE, None, ["office"], form=BundleForm,
                   effect=bundle_effect, style="outline-secondary"),
    ]
