"""The warning rules' settings page, through the views: the 预算工委 sets a rule, bad input changes
nothing and says why in Chinese, others read or are turned away."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.budget import rules
from lvzhi.budget.models import BudgetImport, Dataset, Disclosure, DisclosureDocument
from lvzhi.budget.rules_settings import SUBJECT
from lvzhi.budget.testing import budget_world
from lvzhi.cases.events import subject_events
from lvzhi.cases.models import RuleSet

pytestmark = pytest.mark.django_db
URL = "/budget/rules/"


@pytest.fixture
def bw(world):
    return budget_world(world)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _form(code: str, **values: str) -> dict[str, str]:
    """What the page's form for `code` posts: the current values, then `values` over them."""
    data = {"rule": code, f"{code}-enabled": "on"}
    for p in rules.rule(code).params:
        if p.kind == "bool":
            data[f"{code}-{p.name}"] = "on" if p.default else ""
        else:
            data[f"{code}-{p.name}"] = str(p.default)
    data.update({f"{code}-{k}": v for k, v in values.items()})
    return {k: v for k, v in data.items() if v != ""}


def test_the_url_is_the_budget_rules_page():
    assert reverse("budget:rules") == URL


def test_officer_sees_every_rule_with_its_basis(bw):
    body = _client(bw.officer).get(URL).content.decode()
    for r in rules.RULES:
        assert r.label in body and r.basis in body
    assert "《中华人民共和国预算法》第四十条" in body and "百分之一至百分之三" in body
    assert 'name="progress-gap"' in body and "保存" in body


def test_officer_saves_a_threshold_and_the_change_is_audited(bw):
    r = _client(bw.officer).post(URL, _form(rules.DISCLOSURE, days="15"), follow=True)
    body = r.content.decode()
    assert "已保存“预决算公开不及时”的设置" in body
    assert rules.settings_for(bw.world.congress)[rules.DISCLOSURE] == {"enabled": True, "days": 15}
    rs = RuleSet.objects.get(congress=bw.world.congress)
    events = list(subject_events(SUBJECT, rs.pk))
    assert [e.label for e in events] == ["修改预警规则：预决算公开不及时"]
    assert events[0].payload["changed"] == {"days": {"原": 20, "新": 15}} and events[0].actor_id == bw.officer.pk
    assert "公开时限：20 → 15" in body  # the page's 修改记录


def test_the_saved_threshold_changes_what_the_rules_find(bw):
    c = bw.world.congress
    imp = BudgetImport.objects.create(congress=c, dataset=Dataset.DISCLOSURE, year=2026, source="市财政局",
                                      digest="d", filename="t.xlsx", by=bw.officer)
    Disclosure.objects.create(imp=imp, congress=c, year=2026, unit=bw.units["105001"],
                              document=DisclosureDocument.BUDGET, approved_on=dt.date(2026, 2, 1),
                              published_on=dt.date(2026, 2, 18))  # day 17
    def keys() -> list[str]:
        return [f.key for f in rules.evaluate(c, 2026, today=dt.date(2026, 6, 1)) if f.rule == rules.DISCLOSURE]

    assert keys() == []
    _client(bw.officer).post(URL, _form(rules.DISCLOSURE, days="16"))
    assert keys() == ["disclosure:105001/budget"]
    _client(bw.officer).post(URL, {**_form(rules.DISCLOSURE, days="16"), f"{rules.DISCLOSURE}-enabled": ""})
    assert rules.settings_for(c)[rules.DISCLOSURE]["enabled"] is False
    assert keys() == []
    assert "已停用" in _client(bw.officer).get(URL).content.decode()


@pytest.mark.parametrize(("value", "message"), [("-5", "低于序时进度超过不能小于0"),
                                                ("十个点", "低于序时进度超过请填写数字"),
                                                ("101", "低于序时进度超过不能大于100")])
def test_bad_input_gives_a_chinese_message_and_changes_nothing(bw, value, message):
    r = _client(bw.officer).post(URL, _form(rules.PROGRESS, gap=value, cadence=rules.QUARTERLY))
    body = r.content.decode()
    assert r.status_code == 200 and message in body and "“支出进度低于序时进度”未保存" in body
    assert rules.saved_params(bw.world.congress) == {}
    assert rules.settings_for(bw.world.congress)[rules.PROGRESS]["cadence"] == rules.MONTHLY
    assert not subject_events(SUBJECT, RuleSet.objects.get_or_create(congress=bw.world.congress)[0].pk).exists()


def test_reserve_bounds_the_wrong_way_round_are_refused(bw):
    body = _client(bw.officer).post(URL, _form(rules.RESERVE, low="4", high="3")).content.decode()
    assert "预备费比例的下限不能大于上限" in body
    assert rules.settings_for(bw.world.congress)[rules.RESERVE]["low"] == Decimal(1)


def test_finance_committee_reads_without_forms(bw):
    c = _client(bw.committee_staff)
    body = c.get(URL).content.decode()
    assert "预备费比例不符合规定" in body and "本页只供查阅" in body and "<form" not in body.split("id=\"rules\"")[1]
    assert "10个百分点" in body and "按月" in body
    assert c.post(URL, _form(rules.DISCLOSURE, days="5")).status_code == 403
    assert rules.saved_params(bw.world.congress) == {}


def test_a_deputy_and_a_unit_get_403(bw):
    assert _client(bw.world.deputies[0].user).get(URL).status_code == 403
    assert _client(bw.world.deputies[0].user).post(URL, _form(rules.DISCLOSURE, days="5")).status_code == 403
    assert _client(bw.finance_handler).get(URL).status_code == 403
    assert rules.saved_params(bw.world.congress) == {}
