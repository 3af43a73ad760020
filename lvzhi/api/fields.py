"""What a client needs to fill a transition's form: each field's type, limits and, for a choice,
the values the caller may pick — read from the form built for this case and this user (the
engine's own form, whose querysets are already scoped to the caller), never from the class."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from lvzhi.cases.workflow import TransitionForm

# A longer list is cut here; `choices_url` then names the reference list to search, if one fits.
MAX_CHOICES = 200

# The body's `kind` names the case kind (POST /cases/); a form field of that name is the kind
# itself, fixed by the case, and is not something the client fills.
RESERVED = frozenset({"kind"})

FIELD_TYPES: list[tuple[type[forms.Field], str]] = [
    (forms.ModelMultipleChoiceField, "ids"),
    (forms.ModelChoiceField, "id"),
    (forms.BooleanField, "boolean"),
    (forms.MultipleChoiceField, "choices"),
    (forms.ChoiceField, "choice"),
    (forms.DecimalField, "number"),
    (forms.FloatField, "number"),
    (forms.IntegerField, "integer"),
    (forms.DateTimeField, "datetime"),
    (forms.DateField, "date"),
    (forms.FileField, "file"),
    (forms.CharField, "text"),
]
TYPE_NAMES = sorted({n for _, n in FIELD_TYPES})


def field_type(field: forms.Field) -> str:
    return next((name for cls, name in FIELD_TYPES if isinstance(field, cls)), "text")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _flat_choices(choices: Any) -> list[dict[str, Any]]:
    """A ChoiceField's (value, label) pairs, option groups flattened, the blank left out."""
    out = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            out += _flat_choices(label)
        elif value not in ("", None):
            out.append({"value": str(value), "label": str(label)})
    return out


def reference_url(qs: QuerySet) -> str | None:
    """The reference endpoint listing the same kind of object, when there is one."""
    from lvzhi.core.models import Organization, OrganizationKind
    from lvzhi.deputies.models import Deputy

    if qs.model is Deputy:
        return reverse("api:deputy-list")
    if qs.model is Organization and not qs.exclude(kind=OrganizationKind.UNIT).exists():
        return reverse("api:unit-list")
    return None


def _model_choices(form: TransitionForm, name: str, f: forms.ModelChoiceField
                   ) -> tuple[list[dict[str, Any]], bool]:
    objs = form.peek(name)[:MAX_CHOICES + 1]  # the objects the form already read
    return ([{"value": f.prepare_value(o), "label": str(f.label_from_instance(o))}
             for o in objs[:MAX_CHOICES]], len(objs) > MAX_CHOICES)


def _initial(form: TransitionForm, name: str, f: forms.Field) -> Any:
    value = form.get_initial_for_field(f, name)
    if value in (None, "", [], ()):
        return None
    if isinstance(f, forms.ModelChoiceField):
        value = f.prepare_value(value)
    elif isinstance(value, list | tuple):
        value = [str(v) for v in value]
    return _plain(value)


def describe_field(form: TransitionForm, name: str, f: forms.Field) -> dict[str, Any]:
    kind = field_type(f)
    item: dict[str, Any] = {"name": name, "label": str(f.label or name), "type": kind,
                            "required": f.required, "help_text": str(f.help_text or "")}
    for attr in ("max_length", "min_length", "max_value", "min_value"):
        value = getattr(f, attr, None)
        if value is not None:
            item[attr] = _plain(value)
    if kind in ("id", "ids"):
        choices, cut = _model_choices(form, name, f)
        item["choices"] = choices
        if cut:
            item["choices_truncated"] = True
            url = reference_url(f.queryset)
            if url:
                item["choices_url"] = url
    elif kind in ("choice", "choices"):
        item["choices"] = _flat_choices(f.choices)
    default = _initial(form, name, f)
    if default is None and f.required and len(item.get("choices", ())) == 1 \
            and not item.get("choices_truncated"):
        only = item["choices"][0]["value"]
        default = [only] if kind in ("ids", "choices") else only
    if default is not None:
        item["default"] = default
    return item


def describe_fields(form: TransitionForm) -> list[dict[str, Any]]:
    """Every field of a form built for a case and a user (lvzhi.cases.engine.build_form)."""
    return [describe_field(form, name, f) for name, f in form.fields.items() if name not in RESERVED]


def summarize_form(form_class: type[TransitionForm]) -> str:
    """The fields a form class declares, for the schema's descriptions (no case, no query)."""
    return "，".join(f"`{name}`{'*' if f.required else ''}（{f.label or name}）"
                    for name, f in form_class.base_fields.items() if name not in RESERVED) or "无参数"
