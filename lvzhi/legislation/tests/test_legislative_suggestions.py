"""Legislative suggestions: entered by the 法工委 through six channels, counted by channel and
outcome, adopted (列入计划 with its item, or 吸收) or declined with a reason."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lvzhi.cases.models import Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.legislation import plan_services as svc
from lvzhi.legislation import suggestions as sugg
from lvzhi.legislation.choices import Action
from lvzhi.legislation.models import ContactPoint
from lvzhi.legislation.plan_models import ItemKind, SuggestionChannel, SuggestionOutcome
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.test_bill_support import ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def law(world):
    return add_law_bodies(world)


def add(law, channel=SuggestionChannel.PUBLIC, title="建议制定北辰市电动自行车管理条例", **kw):
    data = {"proposer": "张明", "text": "电动自行车乱停乱放、楼道充电引发火灾，建议尽快立法规范。",
            "received_on": ago(30), **kw}
    return sugg.add_suggestion(law.law_clerk, channel=channel, title=title, **data)


def test_enter_decide_and_count(world, law):
    point = ContactPoint.objects.create(congress=world.congress, name="城东区光明街道基层立法联系点")
    a = add(law)
    b = add(law, SuggestionChannel.CONTACT_POINT, "建议修订物业管理条例", contact_point=point, proposer="光明街道居民")
    c = add(law, SuggestionChannel.DEPUTY, "建议制定城市绿化条例", proposer="代表1")
    with pytest.raises(InvalidInput, match="请选择联系点"):
        add(law, SuggestionChannel.CONTACT_POINT, "建议制定养犬管理条例")
    with pytest.raises(InvalidInput, match="至少10个字"):
        add(law, text="立法")
    with pytest.raises(NotAllowed):
        sugg.add_suggestion(world.clerk, channel="public", proposer="张明", title="建议制定城市绿化条例",
                            text="城市绿化管理缺少地方性法规依据。", received_on=ago(1))
    plan = svc.plan_for(world.congress.pk, ago(0).year + 1, create=True)
    it = svc.add_item(law.law_clerk, plan, {"title": "北辰市电动自行车管理条例", "kind": ItemKind.FORMAL,
                                            "action": Action.ENACT})
    with pytest.raises(InvalidInput, match="请选择对应的计划项目"):
        sugg.decide(law.law_clerk, a, outcome=SuggestionOutcome.LISTED)
    sugg.decide(law.law_clerk, a, outcome=SuggestionOutcome.LISTED, item=it)
    sugg.decide(law.law_clerk, b, outcome=SuggestionOutcome.ABSORBED, reason="在修订草案第二十条中吸收")
    with pytest.raises(InvalidInput, match="写明理由"):
        sugg.decide(law.law_clerk, c, outcome=SuggestionOutcome.DECLINED)
    sugg.decide(law.law_clerk, c, outcome=SuggestionOutcome.DECLINED, reason="现行条例已有规定")
    a.refresh_from_db()
    assert a.adopted and a.item == it and list(it.suggestions.all()) == [a]
    counts = sugg.counts(world.congress.pk, ago(30).year)
    by_channel = {code: n for code, _, n in counts["channel"]}
    by_outcome = {code: n for code, _, n in counts["outcome"]}
    assert by_channel["public"] == 1 and by_channel["contact_point"] == 1 and by_channel["deputy"] == 1
    assert by_outcome == {"": 0, "listed": 1, "absorbed": 1, "declined": 1}
    assert Event.objects.filter(subject_type="leg_suggestion").count() == 6


def test_suggestions_page(world, law):
    c = Client()
    c.force_login(law.law_clerk)
    year = ago(0).year
    r = c.post(reverse("legislation:suggestions") + f"?year={year}", {
        "action": "add", "channel": "government", "proposer": "市市场监督管理局",
        "title": "建议制定北辰市食品小作坊管理条例",
        "text": "食品小作坊数量多、规模小，现有规定难以适应监管需要。", "received_on": ago(0).isoformat()}, follow=True)
    page = r.content.decode()
    assert "已登记立法建议" in page and "政府部门 <strong>1</strong>" in page and "待研究 <strong>1</strong>" in page
    add(law, title="建议制定北辰市养犬管理条例")
    page = c.get(reverse("legislation:suggestions") + f"?year={year}&q=养犬").content.decode()
    assert "北辰市养犬管理条例" in page and "食品小作坊" not in page
    s = world.congress.legislative_suggestions.get(title__contains="养犬")
    r = c.post(reverse("legislation:suggestions"), {"action": "decide", "suggestion": s.pk, "outcome": "declined",
                                                    "reason": ""}, follow=True)
    assert "未采纳的，请写明理由" in r.content.decode()
    leader = Client()
    leader.force_login(world.leader)
    page = leader.get(reverse("legislation:suggestions") + f"?year={year}").content.decode()
    assert "食品小作坊" in page and "登记立法建议" not in page


def _sheet(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["来源渠道", "建议人", "基层立法联系点", "建议项目", "建议内容", "收到日期"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_import_row_by_row(world, law):
    ContactPoint.objects.create(congress=world.congress, name="城东区光明街道基层立法联系点")
    good = [["社会公众", "张明", "", "建议制定北辰市电动自行车管理条例",
             "电动自行车楼道充电引发火灾隐患，建议立法规范。", ago(10)],
            ["基层立法联系点", "光明街道居民", "城东区光明街道基层立法联系点", "建议修订北辰市物业管理条例",
             "业主委员会成立难、物业退出交接无序，建议修订条例。", ago(5)]]
    bad = good + [["网民", "李四", "", "建议制定北辰市养犬管理条例", "不文明养犬扰民，建议立法规范。", ago(3)],
                  ["基层立法联系点", "王五", "不存在的联系点", "建议制定北辰市停车管理条例",
                   "停车难问题突出，建议立法规范。", ago(3)]]
    report = sugg.import_sheet(law.law_clerk, _sheet(bad))
    assert not report.created and len(report.errors) == 2
    assert report.errors[0].startswith("第4行：来源渠道应为社会公众、")
    assert "第5行：没有名为“不存在的联系点”" in report.errors[1]
    assert not world.congress.legislative_suggestions.exists()
    report = sugg.import_sheet(law.law_clerk, _sheet(good))
    assert (report.created, report.skipped, report.errors) == (2, 0, [])
    s = world.congress.legislative_suggestions.get(channel="contact_point")
    assert s.contact_point.name == "城东区光明街道基层立法联系点" and s.received_on == ago(5)
    again = sugg.import_sheet(law.law_clerk, _sheet(good))
    assert (again.created, again.skipped) == (0, 2)
    # the page and its template
    c = Client()
    c.force_login(law.law_clerk)
    tpl = c.get(reverse("legislation:suggestion_template"))
    assert tpl.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(tpl.content)).active
    assert "来源渠道" in [c.value for row in ws.iter_rows(max_row=3) for c in row]
    upload = SimpleUploadedFile("建议.xlsx", _sheet(bad))
    r = c.post(reverse("legislation:suggestions"), {"action": "import", "file": upload}, follow=True)
    assert "导入失败，未保存任何一行" in r.content.decode() and "第4行" in r.content.decode()
