"""Every validation message names the field and its limit (with the actual length), the top
alert lists every error, and no input cuts a pasted text silently."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvzhi.cases.engine import open_case
from lvzhi.cases.models import Case, Event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Organization
from lvzhi.core.validation import ClerkForm, summary
from lvzhi.testing import SUGGESTION_BODY, draft, to_state
from lvzhi.testing_text import visible_text

pytestmark = pytest.mark.django_db


def test_a_pasted_10000_character_title_is_refused_with_its_length(client, world):
    client.force_login(world.deputy_user)
    before = (Case.objects.count(), Event.objects.count())
    response = client.post(reverse("case_new"), {"kind": "suggestion", "title": "电" * 10000,
                                                 "body": SUGGESTION_BODY, "category": "城乡建设"})
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "标题最多200字，当前10000字" in text
    assert "确保" not in text and "字符" not in text  # not Django's "确保该变量包含不超过 200 字符"
    assert (Case.objects.count(), Event.objects.count()) == before
    # The text the deputy pasted comes back whole, for them to shorten.
    assert "电" * 10000 in response.content.decode()


def test_no_input_cuts_a_text_at_maxlength(client, world):
    client.force_login(world.deputy_user)
    html = client.get(reverse("case_new")).content.decode()
    title = re.search(r"<input[^>]*name=\"title\"[^>]*>", html).group(0)
    assert "maxlength" not in title and "minlength" not in title
    case = to_state(world, draft(world), "submitted")
    client.force_login(world.clerk)
    assert "maxlength" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_top_alert_lists_every_error_and_each_field_keeps_its_own(client, world):
    client.force_login(world.deputy_user)
    response = client.post(reverse("case_new"), {"kind": "suggestion", "title": "电" * 300, "body": "太短",
                                                 "category": "没有这类"})
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "请修改以下3处：" in text
    alert = text[text.index("请修改以下3处："):]
    for message in ("标题最多200字，当前300字", "内容至少50字，当前2字", "类别中没有“没有这类”这一项"):
        assert message in alert
        assert text.count(message) >= 2  # in the alert and beside its field


def test_the_engine_refusal_carries_every_error(world):
    with pytest.raises(InvalidInput) as exc:
        open_case("suggestion", "open", world.deputy_user, {"kind": "suggestion", "title": "", "body": ""},
                  congress_id=world.congress.pk, session=world.session)
    assert exc.value.message == "“起草”填写有误，请修改以下2处：请填写标题；请填写内容"
    assert exc.value.errors["title"] == ["请填写标题"]


def test_a_form_s_own_message_is_kept(client, world):
    case = to_state(world, draft(world), "submitted")
    client.force_login(world.clerk)
    response = client.post(reverse("cases:fire", args=[case.pk, "register"]), {"category": ""})
    assert "立案时请确定建议类别" in visible_text(response.content.decode())


class _Every(ClerkForm):
    due = forms.DateField(label="截止日期")
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    amount = forms.DecimalField(label="金额", max_digits=5, decimal_places=2)
    unit = forms.ModelChoiceField(label="承办单位", queryset=Organization.objects.all())
    units = forms.ModelMultipleChoiceField(label="会办单位", queryset=Organization.objects.all())
    kind = forms.ChoiceField(label="类型", choices=[("a", "建议")])
    file = forms.FileField(label="附件（.docx）")
    agree = forms.BooleanField(label="已核对")
    note = forms.CharField(label="说明", min_length=4, max_length=10)


def test_every_kind_of_field_speaks_to_a_clerk(world):
    form = _Every({"due": "2026-02-30", "percent": "101", "amount": "1234.5", "unit": "999999",
                   "units": ["999999"], "kind": "b", "note": "长" * 11},
                  {"file": SimpleUploadedFile("a.docx", b"")})
    assert not form.is_valid()
    assert form.errors == {
        "due": ["截止日期不是有效的日期，请按“2026-03-01”的格式填写或从日历中选择"],
        "percent": ["完成进度不能大于100"],
        "amount": ["金额的整数部分最多3位"],
        "unit": ["所选承办单位不存在或已不可选，请重新选择"],
        "units": ["所选会办单位中有一项不存在或已不可选，请重新选择"],
        "kind": ["类型中没有“b”这一项，请重新选择"],
        "file": ["上传的附件是空文件，请检查后重新上传"],
        "agree": ["请勾选“已核对”"],
        "note": ["说明最多10字，当前11字"],
    }
    empty = _Every({"note": "短"})
    assert not empty.is_valid()
    assert empty.errors["due"] == ["请填写截止日期"] and empty.errors["unit"] == ["请选择承办单位"]
    assert empty.errors["file"] == ["请上传附件"] and empty.errors["note"] == ["说明至少4字，当前1字"]
    assert _Every({"percent": "七十"}).errors["percent"] == ["完成进度请填写整数"]


def test_the_summary_of_one_and_of_many():
    assert summary({"title": ["请填写标题"]}, "“提交”填写有误") == "“提交”填写有误：请填写标题"
    many = summary({"a": ["一"], "b": ["二", "三"]})
    assert many == "填写有误，请修改以下3处：一；二；三"
