"""12345 hotline orders: imported from the 12345 export (Excel or CSV) idempotently on 工单号,
bad rows refused whole, assigned to the deputies of the district named, followed and closed
with the citizen's rating; the figures and the 履职档案 count them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Event
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import NotAllowed
from lvzhi.deputies.models import Delegation
from lvzhi.deputies.record import get_source
from lvzhi.requests import hotline_import, hotline_services
from lvzhi.requests.hotline_figures import FIGURES
from lvzhi.requests.hotline_models import HotlineImport, HotlineOrderDetail

pytestmark = pytest.mark.django_db
HEAD = ["工单号", "诉求内容", "承办单位", "受理时间", "时限", "状态"]
ROWS = [
    ["2026110300017", "城东区东风路与新华街交叉口信号灯故障一周，早晚高峰拥堵严重", "市交通运输局", "2026-11-03",
     "2026-11-10", "办理中"],
    ["2026110400102", "城西区光明巷老旧小区雨污管道堵塞，污水外溢", "市住房和城乡建设局", "2026/11/4", "2026/11/18",
     "办理中"],
    ["2026110500231", "幸福里菜市场周边夜间噪声扰民，反复投诉未解决", "", "2026年11月5日", "2026年11月12日", "已退单"],
]


def xlsx(rows, head=HEAD, title=True) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["12345热线难点工单（11月）"])
    ws.append(head)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("工单.xlsx", buf.getvalue())


def run(world, upload):
    upload.seek(0)
    return hotline_import.import_file(world.congress, world.clerk, upload, upload.name)


def test_importing_the_same_export_twice_changes_nothing_the_second_time(world):
    first = run(world, xlsx(ROWS))
    assert not first.bad and (first.record.created, first.record.updated, first.record.unchanged) == (3, 0, 0)
    d = HotlineOrderDetail.objects.get(order_no="2026110400102")
    assert d.accepted_on == dt.date(2026, 11, 4) and d.unit == world.units[0] and d.case.state == "pending"
    events = Event.objects.count()
    second = run(world, xlsx(ROWS))
    assert (second.record.created, second.record.updated, second.record.unchanged) == (0, 0, 3)
    assert Case.objects.filter(kind="hotline_order").count() == 3 and Event.objects.count() == events
    # 12345 closes one: the import refreshes it and says what changed, the deputies' record stays.
    changed = [r[:] for r in ROWS]
    changed[0][5] = "已办结"
    third = run(world, xlsx(changed))
    assert (third.record.created, third.record.updated, third.record.unchanged) == (0, 1, 2)
    case = Case.objects.get(hotline_detail__order_no="2026110300017")
    assert case.hotline_detail.source_status == "已办结"
    assert case.events.order_by("-pk").first().payload["summary"] == "12345系统更新：状态 办理中→已办结"


def test_a_file_with_bad_rows_saves_nothing_and_names_each_row(world):
    bad = [r[:] for r in ROWS]
    bad[1][0] = ""
    bad[2][3] = "十一月五日"
    bad.append(ROWS[0][:])  # the same order twice
    report = run(world, xlsx(bad))
    problems = {r.number: r.problems for r in report.bad}
    assert problems == {4: ["缺少工单号"], 5: ["受理时间应为日期，如“2026-03-05”或“2026年3月5日”，不能填“十一月五日”"],
                        6: ["工单号2026110300017与第3行重复"]}
    assert not Case.objects.filter(kind="hotline_order").exists() and not HotlineImport.objects.exists()
    with pytest.raises(hotline_import.ImportRefused, match="缺少必填列：诉求内容"):
        run(world, xlsx(ROWS, head=["工单号", "承办单位"]))


def test_a_csv_export_in_gbk_reads_the_same(world):
    text = "\n".join(",".join(r) for r in [HEAD, *ROWS]).encode("gb18030")
    report = run(world, SimpleUploadedFile("工单.csv", text))
    assert report.record.created == 3
    assert HotlineOrderDetail.objects.get(order_no="2026110500231").due_on == dt.date(2026, 11, 12)


def test_assigned_by_area_followed_and_closed(world):
    east = Delegation.objects.get(congress=world.congress, name="城东区代表团")
    west = Delegation.objects.create(congress=world.congress, name="城西区代表团")
    world.deputies[5].delegation = west
    world.deputies[5].save()
    run(world, xlsx(ROWS))
    with pytest.raises(NotAllowed):
        hotline_services.assign_by_area(world.deputies[0].user)
    done, left = hotline_services.assign_by_area(world.clerk)
    assert (done, left) == (2, 1)  # the third names no district
    east_case = Case.objects.get(hotline_detail__order_no="2026110300017")
    west_case = Case.objects.get(hotline_detail__order_no="2026110400102")
    assert west_case.hotline_detail.deputy == world.deputies[5]
    deputy = east_case.hotline_detail.deputy
    assert deputy.delegation == east and east_case.state == "supervising"
    assert east_case in visible_cases(deputy.user) and west_case not in visible_cases(deputy.user)
    today = timezone.localdate()
    fire(east_case, "follow", deputy.user, {"way": "urge", "on": today.isoformat(),
                                            "note": "电话督促交通运输局尽快维修"})
    fire(east_case, "close", deputy.user, {"closure": "信号灯已更换，路口恢复通行", "rating": "satisfied"})
    year = today.year
    counts = {f.code: f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)).count() for f in FIGURES}
    assert counts == {"hotline_orders_imported": 3, "hotline_orders_supervised": 2, "hotline_orders_closed": 1,
                      "hotline_orders_satisfied": 1}
    lines = list(get_source("hotline_orders").entries([deputy.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)))
    assert [e.title.split("：")[0] for e in lines] == ["督办12345工单2026110300017（督办1次，已办结）"]


def test_the_import_page_and_the_template(client, world):
    client.force_login(world.clerk)
    res = client.get(reverse("requests:hotline_template"))
    ws = load_workbook(io.BytesIO(res.content)).active
    assert [c.value for c in ws[2]] == HEAD
    res = client.post(reverse("requests:hotline_import"), {"file": xlsx(ROWS)})
    assert res.status_code == 200 and "新增3件" in res.content.decode()
    res = client.post(reverse("requests:hotline_import"), {"file": SimpleUploadedFile("a.xlsx", b"not excel")})
    assert res.status_code == 400 and "无法读取该文件" in res.content.decode()
    page = client.get(reverse("requests:hotline_list")).content.decode()
    assert "待分派代表" in page and "2026110300017" in page
    client.force_login(world.deputies[0].user)
    assert client.get(reverse("requests:hotline_import")).status_code == 403
