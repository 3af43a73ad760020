"""Validation messages written for a clerk, once for every form.

Django's defaults say "确保该变量包含不超过 200 字符" and never which field or how long the text
is. `ClerkMessages` (mixed into TransitionForm and the other forms) replaces each default
message with one that names the field and the limit, and for a length the actual count:
"标题最多200字，当前10000字", "请填写标题", "请选择类别", "截止日期不是有效的日期…". A message a
form wrote itself (error_messages=…) is kept. The messages are made just before validation,
so labels and limits a form sets in its own __init__ are the ones named.

It also takes Django's `maxlength`/`minlength` off the inputs: a browser silently cuts a pasted
text at `maxlength`, so the clerk would never learn that the end is missing. The server's
message, with the count, is what the user sees.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def _name(field: forms.Field, fallback: str) -> str:
    """The field's label as a message names it: "要求保密（不公开）" → "要求保密",
    "重点任务清单（.xlsx）" → "重点任务清单"; % escaped for the message's own parameters."""
    label = str(field.label or fallback).strip().rstrip("：:")
    label = _TRAILING_NOTE.sub("", label) or label
    return label.replace("%", "%%")


def _defaults(field: forms.Field) -> dict[str, str]:
    """Django's default messages for this field's class (what a form did not replace)."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update({k: str(v) for k, v in getattr(cls, "default_error_messages", {}).items()})
    return messages


def clerk_messages(field: forms.Field, name: str) -> dict[str, str]:
    """The messages this field should give, by code, naming it and its limits."""
    label = _name(field, name)
    ours: dict[str, str] = {"null_characters_not_allowed": f"{label}中含有无效字符（空字符），请删除后重新填写"}
    if isinstance(field, forms.FileField):
        ours.update(required=f"请上传{label}", invalid=f"上传的{label}无效，请重新选择文件",
                    missing=f"没有收到{label}，请重新选择文件", empty=f"上传的{label}是空文件，请检查后重新上传",
                    max_length=f"{label}的文件名最多%(max)d字，当前%(length)d字，请改短后重新上传",
                    contradiction=f"请上传新的{label}，或勾选清除，不要同时进行")
        if isinstance(field, forms.ImageField):
            ours["invalid_image"] = f"{label}不是有效的图片，请上传照片或截图"
        return ours
    if isinstance(field, forms.ModelMultipleChoiceField):
        ours.update(required=f"请选择{label}", invalid_choice=f"所选{label}中有一项不存在或已不可选，请重新选择",
                    invalid_pk_value=f"所选{label}无效，请重新选择", invalid_list=f"请从列表中选择{label}")
        return ours
    if isinstance(field, forms.ModelChoiceField):
        ours.update(required=f"请选择{label}", invalid_choice=f"所选{label}不存在或已不可选，请重新选择")
        return ours
    if isinstance(field, forms.MultipleChoiceField):
        ours.update(required=f"请选择{label}", invalid_list=f"请从列表中选择{label}",
                    invalid_choice=f"{label}中没有“%(value)s”这一项，请重新选择")
        return ours
    if isinstance(field, forms.ChoiceField):
        ours.update(required=f"请选择{label}", invalid_choice=f"{label}中没有“%(value)s”这一项，请重新选择")
        return ours
    if isinstance(field, forms.BooleanField):
        ours["required"] = f"请勾选“{label}”"
        return ours
    ours["required"] = f"请填写{label}"
    if isinstance(field, forms.DateTimeField):
        ours["invalid"] = f"{label}不是有效的日期时间，请按“2026-03-01 09:30”的格式填写"
    elif isinstance(field, forms.DateField):
        ours["invalid"] = f"{label}不是有效的日期，请按“2026-03-01”的格式填写或从日历中选择"
    elif isinstance(field, forms.TimeField):
        ours["invalid"] = f"{label}不是有效的时间，请按“09:30”的格式填写"
    elif isinstance(field, forms.IntegerField):  # FloatField and DecimalField are ones too
        whole = not isinstance(field, forms.FloatField | forms.DecimalField)
        ours.update(invalid=f"{label}请填写整数" if whole else f"{label}请填写数字",
                    max_value=f"{label}不能大于%(limit_value)s", min_value=f"{label}不能小于%(limit_value)s",
                    step_size=f"{label}须为%(limit_value)s的整数倍")
        if isinstance(field, forms.DecimalField):
            ours.update(max_digits=f"{label}最多%(max)s位数字", max_decimal_places=f"{label}最多%(max)s位小数",
                        max_whole_digits=f"{label}的整数部分最多%(max)s位")
    elif isinstance(field, forms.EmailField):
        ours["invalid"] = f"{label}不是有效的电子邮箱地址"
    elif isinstance(field, forms.URLField):
        ours["invalid"] = f"{label}不是有效的网址"
    elif isinstance(field, forms.JSONField):
        ours["invalid"] = f"{label}的格式不正确"
    elif isinstance(field, forms.UUIDField):
        ours["invalid"] = f"{label}不是有效的编号"
    if isinstance(field, forms.CharField):
        ours.update(max_length=f"{label}最多%(limit_value)d字，当前%(show_value)d字",
                    min_length=f"{label}至少%(limit_value)d字，当前%(show_value)d字")
    return ours


def apply_messages(field: forms.Field, name: str) -> None:
    """Replace the field's default messages (this form's own copy of them) with ours."""
    defaults = _defaults(field)
    for code, text in clerk_messages(field, name).items():
        current = field.error_messages.get(code)
        if current is None or str(current) == defaults.get(code):
            field.error_messages[code] = text


def drop_length_attrs(field: forms.Field) -> None:
    """No silent cut at `maxlength`: the server says how long the text is and how long it may be."""
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs.pop("minlength", None)


class ClerkMessages:
    """Form mixin: messages that name the field and its limits; no `maxlength` on the inputs."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            apply_messages(field, name)
        super().full_clean()  # type: ignore[misc]

    def __getitem__(self, name: str) -> Any:
        if name in self.fields:
            drop_length_attrs(self.fields[name])
        return super().__getitem__(name)  # type: ignore[misc]


class ClerkForm(ClerkMessages, forms.Form):
    """A plain form with the clerk's messages (page forms that are not a transition's)."""


def summary(errors: dict[str, list[str]], title: str = "填写有误", *, limit: int = 6) -> str:
    """Every error of a form in one sentence for the top alert: "“提交”填写有误：请选择类别", or
    "“提交”填写有误，请修改以下3处：标题最多200字，当前10000字；请选择类别；…". Each field
    still shows its own message beside it."""
    messages: list[str] = []
    for field_messages in errors.values():
        for message in field_messages:
            text = str(message).rstrip("。；;.")
            if text and text not in messages:
                messages.append(text)
    if not messages:
        return f"{title}，请检查后重新提交"
    if len(messages) == 1:
        return f"{title}：{messages[0]}"
    shown = "；".join(messages[:limit]) + ("；……" if len(messages) > limit else "")
    return f"{title}，请修改以下{len(messages)}处：{shown}"
