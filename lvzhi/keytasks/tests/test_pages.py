"""The key task pages, through Django's test client on real data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.core.context_processors import nav_entries
from lvzhi.keytasks.models import Dispatch
from lvzhi.keytasks.tests.helpers import BODY, dispatch, open_task, report, task_data, to_handling
from lvzhi.keytasks.tests.test_import_export import good_rows, sheet

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def text(resp) -> str:
    return resp.content.decode()


def test_office_creates_a_task_on_the_new_page(client, world):
    login(client, world.office_clerk)
    assert "新增年度重点任务" in text(client.get(reverse("keytasks:new")))
    resp = client.post(reverse("keytasks:new"), {**task_data(world), "then": "submit"})
    assert resp.status_code == 302
    case = Case.objects.get(kind="key_task")
    assert case.state == "pending_approval"
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    assert "待主任会议审定" in page and "工作节点" in page and "完成立法调研" in page and world.leader.name in page


def test_bad_new_task_shows_chinese_errors_and_saves_nothing(client, world):
    login(client, world.office_clerk)
    resp = client.post(reverse("keytasks:new"), {**task_data(world), "title": "物业", "percent": ""})
    assert resp.status_code == 400
    assert "任务名称至少5字，当前" in text(resp)
    assert BODY in text(resp)  # what was typed stays in the form
    assert not Case.objects.filter(kind="key_task").exists()


def test_only_the_office_uses_its_pages(client, world):
    for user in (world.clerk, world.committee_staff, world.leader, world.deputy_user, world.handlers[0]):
        login(client, user)
        for name in ("keytasks:new", "keytasks:dispatch", "keytasks:import", "keytasks:import_template"):
            assert client.get(reverse(name)).status_code == 403, (user, name)
    login(client, world.deputy_user)
    assert client.get(reverse("keytasks:board")).status_code == 403
    login(client, world.handlers[0])
    assert client.get(reverse("keytasks:board")).status_code == 403


def test_nav_entries(world):
    for user in (world.office_clerk, world.leader, world.committee_staff):
        assert ("keytasks:board", "重点任务") in nav_entries(user)
    assert ("keytasks:board", "重点任务") not in nav_entries(world.deputy_user)


def test_batch_submit_and_batch_approve(client, world):
    a, b, c = (open_task(world, title=t) for t in ("制定《北辰市物业管理条例》", "制定《北辰市养犬管理条例》",
                                                  "修订《北辰市城市市容和环境卫生管理条例》"))
    login(client, world.office_clerk)
    page = text(client.get(reverse("keytasks:approval")))
    assert "提请主任会议审定（3）" in page
    resp = client.post(reverse("keytasks:approval"), {"pick": [a.pk, b.pk]})
    assert resp.status_code == 302
    assert dict(Case.objects.filter(kind="key_task").values_list("pk", "state")) == {
        a.pk: "pending_approval", b.pk: "pending_approval", c.pk: "drafting"}
    login(client, world.leader)
    assert "主任会议审定重点任务（2）" in text(client.get(reverse("keytasks:approval")))
    client.post(reverse("keytasks:approval"), {"pick": [a.pk, b.pk, c.pk], "note": "同意"})
    states = dict(Case.objects.filter(kind="key_task").values_list("pk", "state"))
    assert states == {a.pk: "registered", b.pk: "registered", c.pk: "drafting"}  # c was not submitted
    assert {e.name for e in Case.objects.get(pk=a.pk).events.all()} == {"open", "submit_for_approval", "approve"}


def test_dispatch_page_starts_a_dispatch(client, world):
    moving = to_handling(world)
    other = to_handling(world, title="听取审议市政府关于生态环境保护工作情况的报告")
    login(client, world.office_clerk)
    assert f"发起{dt.date.today().year}年第1次调度" in text(client.get(reverse("keytasks:dispatch")))
    due = dt.date.today() + dt.timedelta(days=7)
    resp = client.post(reverse("keytasks:dispatch"), {"due_on": due.isoformat(), "note": "请报送11月进展",
                                                      "pick": [moving.pk]})
    assert resp.status_code == 302
    d = Dispatch.objects.get()
    assert list(d.cases.all()) == [moving] and d.due_on == due
    assert not other.deadlines.filter(kind="progress_report").exists()
    page = text(client.get(reverse("keytasks:dispatch")))
    assert "已报送 0/1" in page
    bad = client.post(reverse("keytasks:dispatch"), {"due_on": "2000-01-01", "pick": [moving.pk]})
    assert bad.status_code == 200 and "报送截止不能早于今天" in text(bad)
    assert Dispatch.objects.count() == 1


def test_board_shows_states_overdue_first_and_progress(client, world):
    red = to_handling(world, title="开展《中华人民共和国食品安全法》执法检查", category="监督")
    d = dispatch(world, due_in=1).dispatch
    green = to_handling(world, title="举办市人大代表履职学习班", category="代表工作")
    fire(green, "dispatch", world.office_clerk, {"dispatch": d.pk})
    report(world, green, 60)
    open_task(world, title="修订《北辰市人民代表大会常务委员会议事规则》", category="自身建设")
    Dispatch.objects.filter(pk=d.pk).update(due_on=dt.date.today() - dt.timedelta(days=2))
    red.deadlines.filter(kind="progress_report").update(due_on=dt.date.today() - dt.timedelta(days=2))
    for user in (world.leader, world.office_clerk):
        login(client, user)
        page = text(client.get(reverse("keytasks:board")))
        overdue = page[page.index('id="overdue"'):page.index('id="state-')]
        assert red.title in overdue and green.title not in overdue
        assert "进展报送" in overdue
        assert "推进中" in page and "起草中" in page and "60%" in page and "kt-w-60" in page
    login(client, world.committee_staff)
    page = text(client.get(reverse("keytasks:board")))
    assert red.title in page and "议事规则" not in page  # only its own


def test_import_page_and_template(client, world):
    login(client, world.office_clerk)
    resp = client.get(reverse("keytasks:import_template"))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["重点任务清单", "填写说明"]
    upload = SimpleUploadedFile("清单.xlsx", sheet(good_rows(world)))
    resp = client.post(reverse("keytasks:import"), {"year": 2026, "file": upload})
    assert resp.status_code == 200 and "导入完成" in text(resp)
    assert Case.objects.filter(kind="key_task", state="drafting").count() == 3
    rows = good_rows(world)
    rows[0][0], rows[0][4] = "9", "张三"
    resp = client.post(reverse("keytasks:import"), {"year": 2026, "file": SimpleUploadedFile("b.xlsx", sheet(rows))})
    assert resp.status_code == 400 and "第3行" in text(resp) and "不是本级主任会议成员" in text(resp)
    resp = client.post(reverse("keytasks:import"), {"year": 2026})
    assert resp.status_code == 400 and "请选择要导入的 Excel 文件" in text(resp)


def test_export_download(client, world):
    to_handling(world)
    login(client, world.leader)
    resp = client.get(reverse("keytasks:export") + f"?year={dt.date.today().year}")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    assert load_workbook(io.BytesIO(resp.content)).active["A1"].value.endswith("年度常委会重点任务清单")
    login(client, world.committee_staff)
    assert client.get(reverse("keytasks:export")).status_code == 403


def test_detail_panel_and_api_detail(client, world):
    case = to_handling(world)
    dispatch(world)
    report(world, case, 45, milestone=case.milestones.first().pk)
    fire(case, "propose_close_out", world.office_clerk, {"evidence": "条例已表决通过，常委会公告第12号。"})
    login(client, world.committee_staff)
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    for s in ("销号待审定", "45%", "kt-w-45", "条例已表决通过", "销号佐证", "完成立法调研", "已完成 1/2",
              world.leader.name):
        assert s in page, s
    case.refresh_from_db()
    data = case.kind_def.api_detail(case)
    assert data["year"] == case.key_task_detail.year and data["responsible_leader"] == world.leader.name
    assert data["last_progress"]["percent"] == 45 and len(data["milestones"]) == 2
    assert data["milestones"][0]["done_at"] is not None


def test_shared_pages_pick_the_kind_up(client, world):
    """The annual figures, their trace, the deadline monitor and the inbox: no key task code."""
    case = to_handling(world)
    dispatch(world, due_in=1)
    case.deadlines.filter(kind="progress_report").update(due_on=dt.date.today() - dt.timedelta(days=1))
    login(client, world.leader)
    annual = text(client.get(reverse("annual_figures") + f"?year={dt.date.today().year}"))
    for label in ("年度重点任务", "按期销号", "逾期销号", "未销号"):
        assert label in annual, label
    trace = client.get(reverse("figure_trace", args=["key_task", "key_tasks_open"]))
    assert trace.status_code == 200 and case.title in text(trace)
    monitor = text(client.get(reverse("cases:monitor")))
    assert world.committee.name in monitor and "进展报送" in monitor
    login(client, world.committee_staff)
    assert case.title in text(client.get(reverse("cases:inbox")))


def test_edit_on_the_case_page_opens_with_the_current_values(client, world):
    case = open_task(world)
    login(client, world.office_clerk)
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    edit = page[page.index('id="act-edit"'):]
    assert f'value="{case.title}"' in edit and "完成立法调研" in edit
    data = task_data(world, title="制定《北辰市物业管理条例》（修改稿）", milestones="")
    resp = client.post(reverse("cases:fire", args=[case.pk, "edit"]), data)
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.title.endswith("（修改稿）") and not case.milestones.exists()
    bad = client.post(reverse("cases:fire", args=[case.pk, "edit"]), {**data, "percent": "", "title": "短"})
    assert bad.status_code == 400 and "任务名称至少5字，当前" in text(bad)
