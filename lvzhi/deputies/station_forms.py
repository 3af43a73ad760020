"""Liaison stations' page forms."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import ClerkMessages
from lvzhi.deputies.models import Deputy, DeputyStatus, LiaisonStation
from lvzhi.deputies.station_models import Slot, VisitHandling


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


def _deputies(station: LiaisonStation):
    """The deputies who receive at this station (Deputy.station)."""
    return Deputy.objects.filter(congress_id=station.congress_id, status=DeputyStatus.ACTIVE,
                                 station=station).order_by("id")


class ShiftForm(ClerkMessages, forms.Form):
    deputy = DeputyChoice(label="值班代表", queryset=Deputy.objects.none())
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    slot = forms.ChoiceField(label="时段", choices=Slot.choices)

    def __init__(self, *args, station: LiaisonStation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = _deputies(station)


class VisitForm(ClerkMessages, forms.Form):
    deputy = DeputyChoice(label="接待代表", queryset=Deputy.objects.none())
    on = forms.DateField(label="接待日期", widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label="群众称呼", max_length=30, required=False)
    matter = forms.CharField(label="反映的事项", min_length=5, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    is_opinion = forms.BooleanField(label="属于意见建议（咨询类不勾选）", required=False, initial=True)
    handling = forms.ChoiceField(label="处理方式", choices=VisitHandling.choices)

    def __init__(self, *args, station: LiaisonStation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = _deputies(station)
