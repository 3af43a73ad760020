"""The registry's writes: record_version (the one place a version is written) and the registry's
services; each refusal says why in Chinese and changes nothing."""

import datetime as dt

import pytest

from lvzhi.cases.events import Event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action, RegulationStatus
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.registry_models import CleanupScope, Outcome, RuleState
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.registry_helpers import PROPERTY, PROPERTY_AMENDED, regulation
from lvzhi.legislation.versions import record_dates, record_version
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w.law = add_law_bodies(w)
    return w


def test_enact_then_amend_puts_it_in_force_and_chains_each_step(world):
    reg = regulation(world, actor=world.law.law_clerk)
    assert reg.status == RegulationStatus.IN_FORCE
    v = record_version(reg, Action.AMEND_DECISION, dt.date(2022, 6, 30), text=PROPERTY_AMENDED,
                       decision="北辰市人民代表大会常务委员会关于修改《北辰市物业管理条例》的决定",
                       actor=world.law.law_clerk, approved_on=dt.date(2022, 9, 28))
    assert reg.current == v
    names = list(Event.objects.filter(subject_type="regulation", subject_id=reg.pk).values_list("name", flat=True))
    assert names == ["registered", "version_enact", "version_amend_decision"]
    # 山东条例 第七十五条: a year in force, then thirty days (2021-01-01 + 30 → 2021-01-31, a Sunday → Monday)
    first = reg.versions.order_by("adopted_on").first()
    assert first.implementation_report_due_on == dt.date(2021, 2, 1)


@pytest.mark.parametrize("action, adopted, text, message", [
    (Action.AMEND, dt.date(2019, 1, 1), PROPERTY_AMENDED, "通过日期不能早于上一版本（2019年8月29日）"),
    (Action.REVISE, dt.date(2023, 1, 1), "北辰市物业管理条例\n本条例修订如下。", "没有找到“第一条”"),
    (Action.ENACT, dt.date(2023, 1, 1), PROPERTY, "已有制定版本"),
    (Action.AMEND, dt.date(2023, 1, 1), "", "请填写法规全文"),
])
def test_a_bad_version_is_refused_and_nothing_changes(world, action, adopted, text, message):
    reg = regulation(world)
    before = Event.objects.count()
    with pytest.raises(InvalidInput, match=message):
        record_version(reg, action, adopted, text=text, actor=world.law.law_clerk)
    assert reg.versions.count() == 1 and Event.objects.count() == before


def test_a_repealed_regulation_cannot_be_repealed_again(world):
    reg = regulation(world)
    record_version(reg, Action.REPEAL, dt.date(2025, 3, 27), decision="关于废止《北辰市物业管理条例》的决定")
    reg.refresh_from_db()
    assert reg.status == RegulationStatus.REPEALED and reg.current.action == Action.ENACT
    with pytest.raises(InvalidInput, match="已废止，不能再登记版本"):
        record_version(reg, Action.REPEAL, dt.date(2025, 6, 1))
    assert reg.versions.count() == 2


def test_dates_before_adoption_or_publication_before_approval_are_refused(world):
    reg = svc.create_regulation(None, world.congress, title="北辰市养犬管理条例")
    with pytest.raises(InvalidInput, match="施行日期（2019年1月1日）不能早于常委会通过日期"):
        record_version(reg, Action.ENACT, dt.date(2019, 8, 29), text=PROPERTY, effective_on=dt.date(2019, 1, 1))
    with pytest.raises(InvalidInput, match=r"公报刊登日期.*不能早于批准日期"):
        record_version(reg, Action.ENACT, dt.date(2019, 8, 29), text=PROPERTY, approved_on=dt.date(2019, 11, 28),
                       gazette_on=dt.date(2019, 10, 1))
    assert not reg.versions.exists() and Regulation.objects.get(pk=reg.pk).status == RegulationStatus.DRAFTING


def test_record_dates_adds_approval_and_effect_later(world):
    reg = svc.create_regulation(None, world.congress, title="北辰市供热条例")
    v = record_version(reg, Action.ENACT, dt.date(2024, 6, 27), text=PROPERTY)
    assert v.implementation_report_due_on is None
    with pytest.raises(InvalidInput, match="请至少填写一项"):
        record_dates(v, approved_on=None)
    v = record_dates(v, approved_on=dt.date(2024, 9, 26), website_on=dt.date(2024, 10, 8),
                     effective_on=dt.date(2024, 11, 1), actor=world.law.law_clerk)
    assert v.approved_on == dt.date(2024, 9, 26) and v.implementation_report_due_on == dt.date(2025, 12, 1)
    with pytest.raises(InvalidInput, match=r"网站公布日期.*不能早于批准日期"):
        record_dates(v, website_on=dt.date(2024, 9, 1))


def test_duplicate_title_is_refused(world):
    regulation(world)
    with pytest.raises(InvalidInput, match="法规库中已有《北辰市物业管理条例》"):
        svc.create_regulation(None, world.congress, title="《北辰市物业管理条例》")


def test_implementing_rule_due_one_year_after_effect_and_overdue(world):
    reg = regulation(world)
    rule = svc.add_implementing_rule(world.law.law_clerk, reg, title="物业服务收费管理办法", article="第六条",
                                     responsible_unit=world.units[0])
    assert rule.due_on == dt.date(2021, 1, 4)  # 2021-01-01 is a holiday: the next working day
    assert rule.state(dt.date(2020, 6, 1)) == RuleState.ON_TIME and rule.state() == RuleState.OVERDUE
    short = svc.add_implementing_rule(None, reg, title="业主大会议事规则示范文本",
                                      responsible_body="市住房和城乡建设局", months=6)
    assert short.due_on == dt.date(2020, 7, 1)
    svc.complete_implementing_rule(None, short, done_on=dt.date(2020, 6, 15),
                                   document_title="北辰市业主大会议事规则示范文本",
                                   document_number="北建发〔2020〕31号")
    short.refresh_from_db()
    assert short.state() == RuleState.DONE
    with pytest.raises(InvalidInput, match="已于2020年6月15日出台"):
        svc.complete_implementing_rule(None, short, done_on=dt.date(2020, 6, 16), document_title="又一件")


def test_rule_without_an_effective_date_is_refused(world):
    reg = svc.create_regulation(None, world.congress, title="北辰市燃气管理条例")
    record_version(reg, Action.ENACT, dt.date(2024, 6, 27), text=PROPERTY)
    with pytest.raises(InvalidInput, match="尚未登记施行日期"):
        svc.add_implementing_rule(None, reg, title="燃气经营许可管理办法", responsible_body="市城市管理综合执法局")
    assert not reg.implementing_rules.exists()


def test_evaluation_year_must_follow_adoption(world):
    reg = regulation(world)
    with pytest.raises(InvalidInput, match="评估年度应在2019年"):
        svc.add_evaluation(None, reg, year=2015, body="市人大常委会法工委")
    ev = svc.add_evaluation(None, reg, year=2023, body="内蒙古科技大学法学院（受托第三方）", method="问卷调查、座谈会",
                            findings="业主委员会成立率由31%提高到58%", conclusion="amend")
    assert ev.get_conclusion_display() == "适时修改"


def test_cleanup_covers_all_in_force_and_findings_follow_up(world):
    reg = regulation(world)
    dogs = regulation(world, "北辰市养犬管理条例")
    record_version(dogs, Action.REPEAL, dt.date(2024, 8, 29))
    c = svc.create_cleanup(world.law.law_clerk, world.congress, title="2024年地方性法规全面清理", year=2024,
                           scope=CleanupScope.COMPREHENSIVE)
    assert list(c.regulations.all()) == [reg]  # the repealed one is not in force
    with pytest.raises(InvalidInput, match="不在本次清理范围内"):
        svc.add_finding(None, c, dogs, outcome=Outcome.KEEP)
    with pytest.raises(InvalidInput, match="请写明理由"):
        svc.add_finding(None, c, reg, outcome=Outcome.AMEND)
    with pytest.raises(InvalidInput, match="还有1件法规没有清理意见"):
        svc.decide_cleanup(None, c, decided_on=dt.date(2024, 10, 30))
    f = svc.add_finding(None, c, reg, outcome=Outcome.AMEND, reason="与民法典关于业主共有部分收益的规定不一致")
    assert svc.finding_counts(c)["修改"] == 1 and svc.finding_counts(c)["已落实"] == 0
    v = record_version(reg, Action.AMEND_DECISION, dt.date(2025, 4, 24), text=PROPERTY_AMENDED)
    with pytest.raises(InvalidInput, match="所选版本不是《北辰市物业管理条例》的"):
        svc.record_follow_up(None, f, version=dogs.versions.get(action=Action.REPEAL))
    with pytest.raises(InvalidInput, match="清理意见为修改，所选版本是制定"):
        svc.record_follow_up(None, f, version=reg.versions.get(action=Action.ENACT))
    svc.record_follow_up(None, f, version=v)
    assert svc.finding_counts(c)["已落实"] == 1
    svc.decide_cleanup(None, c, decided_on=dt.date(2024, 10, 30))
    with pytest.raises(InvalidInput, match="已作出决定"):
        svc.add_finding(None, c, reg, outcome=Outcome.KEEP)


def test_special_cleanup_needs_subject_and_regulations(world):
    with pytest.raises(InvalidInput, match="专项清理请填写清理事项"):
        svc.create_cleanup(None, world.congress, title="专项清理", year=2025, scope=CleanupScope.SPECIAL)
    assert not RegulationVersion.objects.exists()
