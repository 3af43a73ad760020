"""The case list: filters, sorting by every column, batch actions with a result per case."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.filters import CaseFilters, filtered_cases
from lvzhi.cases.models import Case, Deadline, Event
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db
LIST = "/cases/"


def listed(client, **params) -> list[int]:
    html = client.get(LIST, params).content.decode()
    return [int(x) for x in re.findall(r'name="ids" value="(\d+)"', html)]


@pytest.fixture
def three(world):
    """Three suggestions by different deputies: replied, handling (for a 2nd unit), registered."""
    a = to_state(world, draft(world, deputy_index=0, cosigners=1, title="关于加快老旧小区加装电梯的建议"), "replied")
    b = to_state(world, draft(world, deputy_index=3, cosigners=0, title="关于规范共享单车停放的建议"), "handling")
    c = to_state(world, draft(world, deputy_index=6, cosigners=0, title="关于增加中小学课后服务的建议"), "registered")
    return a, b, c


def test_filters_by_deputy_delegation_session_and_overdue(world, three, client):
    a, b, c = three
    client.force_login(world.clerk)
    assert listed(client, deputy=world.deputies[0].name) == [a.pk]
    assert listed(client, deputy=world.deputies[1].name) == [a.pk]  # a confirmed co-signer
    assert listed(client, deputy=str(world.deputies[3].pk)) == [b.pk]
    assert sorted(listed(client, delegation=world.deputies[0].delegation_id)) == sorted([a.pk, b.pk, c.pk])
    assert sorted(listed(client, session=world.session.pk)) == sorted([a.pk, b.pk, c.pk])
    assert listed(client, overdue="1") == []
    # in 400 days b's reply clock and a's promise (a duty too) have run out; c owes nothing
    late = timezone.localdate() + dt.timedelta(days=400)
    f = CaseFilters(overdue=True)
    assert set(filtered_cases(world.clerk, f, today=late).values_list("pk", flat=True)) == {a.pk, b.pk}
    Deadline.objects.filter(case=b, met_at__isnull=True).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    assert listed(client, overdue="1") == [b.pk]


def test_date_ranges_and_bad_dates(world, three, client):
    a, b, c = three
    Case.objects.filter(pk=a.pk).update(submitted_at=timezone.make_aware(dt.datetime(2026, 3, 1, 23, 30)))
    client.force_login(world.clerk)
    assert listed(client, submitted_from="2026-03-01", submitted_to="2026-03-01") == [a.pk]
    assert a.pk not in listed(client, submitted_from="2026-03-02")
    today = timezone.localdate().isoformat()
    assert sorted(listed(client, registered_from=today, registered_to=today)) == sorted([a.pk, b.pk, c.pk])
    every = sorted(listed(client))
    r = client.get(LIST, {"submitted_from": "2026-13-01"})
    assert "日期“2026-13-01”无效，已忽略" in r.content.decode()
    assert sorted(listed(client, submitted_from="2026-13-01")) == every  # ignored, nothing else
    r = client.get(LIST, {"submitted_from": "2026-05-01", "submitted_to": "2026-04-01"})
    assert "晚于截止" in r.content.decode()
    assert "排序“bogus”无效" in client.get(LIST, {"sort": "bogus"}).content.decode()
    r = client.get(LIST, {"submitted_from": "0001-01-01", "page": "409"})  # overflowed as a bound
    assert r.status_code == 200 and "超出范围（1900—2100年）" in r.content.decode()


@pytest.mark.parametrize("column", ["number", "title", "deputy", "state", "unit", "due", "submitted"])
def test_every_column_sorts_both_ways_and_keeps_the_filters(world, three, client, column):
    client.force_login(world.clerk)
    up = listed(client, sort=column, kind="suggestion")
    down = listed(client, sort=f"-{column}", kind="suggestion")
    assert sorted(up) == sorted(down) == sorted(c.pk for c in three)
    assert up == listed(client, sort=column, kind="suggestion")  # stable
    html = client.get(LIST, {"sort": column, "kind": "suggestion"}).content.decode()
    # the clicked header now sorts the other way, with the filters kept
    assert re.search(rf'href="\?[^"]*sort=-{column}[^"]*"', html)
    assert "kind=suggestion" in re.search(rf'href="(\?[^"]*sort=-{column}[^"]*)"', html).group(1)


def test_sort_values(world, three, client):
    c = three[2]
    client.force_login(world.clerk)
    by_title = listed(client, sort="title")
    assert by_title == [x.pk for x in sorted(three, key=lambda x: x.title)]
    # units: c has none (last both ways)
    assert listed(client, sort="unit")[-1] == c.pk and listed(client, sort="-unit")[-1] == c.pk


def test_sort_and_filters_survive_pagination(world, client):
    for i in range(32):
        draft(world, title=f"关于第{i:02d}号片区停车难问题的建议")
    client.force_login(world.deputy_user)
    html = client.get(LIST, {"sort": "title", "q": "停车"}).content.decode()
    nxt = re.search(r'href="\?([^"]*cursor=[^"]*)" rel="next"', html).group(1)
    assert "sort=title" in nxt and "q=" in nxt


def test_batch_publish_lists_every_case_with_its_reason(world, three, client):
    a, b, _ = three
    client.force_login(world.clerk)
    r = client.post(LIST, {"action": "publish", "ids": [a.pk, b.pk], "back": "sort=title"})
    assert r.status_code == 302 and r.url.endswith("?sort=title")
    html = client.get(r.url).content.decode()
    a.refresh_from_db()
    assert a.is_public
    assert "批量公开：成功1件，未成功1件" in html
    rows = re.findall(r'<tr class="table-(success|danger)">(.*?)</tr>', html, re.S)
    assert [k for k, _ in rows] == ["success", "danger"]
    assert "成功" in rows[0][1] and "已公开" in rows[0][1]
    assert "未成功" in rows[1][1] and "公开" in rows[1][1]  # the engine's own refusal
    assert "批量公开结果" not in client.get(LIST).content.decode()  # shown once


def test_batch_urge_goes_through_the_engine(world, three, client):
    _, b, c = three
    client.force_login(world.clerk)
    before = Event.objects.filter(name="urge").count()
    r = client.post(LIST, {"action": "urge", "ids": [b.pk, c.pk], "note": "请本周内报送答复"}, follow=True)
    html = r.content.decode()
    assert Event.objects.filter(name="urge").count() == before + 1
    assert "批量催办：成功1件，未成功1件" in html


def test_batch_refusals_change_nothing(world, three, client):
    a, b, _ = three
    client.force_login(world.deputy_user)
    before = Event.objects.count()
    r = client.post(LIST, {"action": "publish", "ids": [a.pk]}, follow=True)
    assert "您无权执行该批量操作" in r.content.decode()
    client.force_login(world.clerk)
    r = client.post(LIST, {"action": "urge", "ids": [b.pk], "note": "催" * 501}, follow=True)
    assert "催办意见最多500字，当前501字" in r.content.decode()
    r = client.post(LIST, {"action": "publish", "ids": []}, follow=True)
    assert "未勾选任何案件" in r.content.decode()
    assert Event.objects.count() == before


def test_batch_export_holds_only_the_selection(world, three, client):
    a, b, c = three
    client.force_login(world.clerk)
    r = client.post(LIST, {"action": "export", "ids": [a.pk, c.pk]})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert a.title in text and c.title in text and b.title not in text
    # 导出台账 exports what the filtered list shows
    r = client.get(LIST, {"format": "xlsx", "q": "共享单车"})
    text = " ".join(str(v) for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(
        values_only=True) for v in row if v)
    assert b.title in text and a.title not in text


def test_batch_assign_from_the_list_preselects_and_reports_each_case(world, client):
    cases = [to_state(world, draft(world, title=f"关于第{i}片区雨污分流改造的建议"), "registered") for i in range(3)]
    client.force_login(world.clerk)
    r = client.post(LIST, {"action": "assign", "ids": [cases[0].pk, cases[2].pk]})
    assert r.status_code == 302 and "ids=" in r.url
    html = client.get(r.url).content.decode()
    assert f'name="pick_{cases[0].pk}" value="1" aria-label="选择 {cases[0].number}" checked' in html
    assert f'name="pick_{cases[1].pk}" value="1" aria-label="选择 {cases[1].number}">' in html
    assert "data-select-all" in html
    unit = world.units[0].pk
    r = client.post(reverse("cases:batch_assign"), {
        f"pick_{cases[0].pk}": "1", f"lead_{cases[0].pk}": unit,
        f"pick_{cases[2].pk}": "1", f"lead_{cases[2].pk}": ""}, follow=True)
    html = r.content.decode()
    assert "批量交办：成功1件，未成功1件" in html
    assert "已交办" in html and "未选择主办单位" in html
    assert cases[2].title in html and cases[0].title in html
    cases[0].refresh_from_db()
    assert cases[0].state == "handling"
    # the one that failed stays ticked for the next try
    assert f'name="pick_{cases[2].pk}" value="1" aria-label="选择 {cases[2].number}" checked' in html


@pytest.mark.parametrize("n", [3, 12])
def test_the_list_runs_a_constant_number_of_queries(world, client, django_assert_max_num_queries, n):
    for i in range(n):
        to_state(world, draft(world, title=f"关于第{i}片区加装电梯的建议"), "handling")
    client.force_login(world.clerk)
    with django_assert_max_num_queries(25):
        r = client.get(LIST, {"q": "加装电梯", "sort": "unit", "deputy": "代表", "overdue": ""})
    assert r.status_code == 200 and len(re.findall(r'name="ids"', r.content.decode())) == n
