"""The office's Excel list: every row opened through the engine, a bad row refused with its
row number (and then nothing imported); the template reads back; the export lists the year."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.documents import excel
from lvzhi.keytasks import exports, importing
from lvzhi.keytasks.tests.helpers import to_handling

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "任务名称", "类别", "工作内容和目标", "责任领导", "牵头部门", "配合部门", "完成时限", "工作节点"]


def sheet(rows, title="2026年度常委会重点任务清单") -> bytes:
    return excel.write_sheet(title, [excel.Column(h) for h in HEADERS], rows)


def good_rows(world):
    leader = world.leader.name
    return [
        ["1", "制定《北辰市物业管理条例》", "立法工作", "完成条例草案起草、征求意见和常委会审议。", leader,
         world.committee.name, "办公室", "2026-11-30", "2026-03-31 完成立法调研\n2026-06-30 提请常委会一审"],
        ["2", "听取审议市政府关于生态环境保护工作情况的报告", "监督", "组织专题调研，形成调研报告，跟踪审议意见落实。",
         leader, "办公室", "", "2026年9月30日", ""],
        ["3", "代表建议办理“回头看”", "代表工作", "对上年度答复“正在解决”的建议逐件跟踪落实情况。", leader, "", "",
         "2026/12/31", "2026-06-30 完成第一轮回访"],
    ]


def test_every_row_is_opened_through_the_engine(world):
    report = importing.import_tasks(world.office_clerk, sheet(good_rows(world)), 2026, filename="清单.xlsx")
    assert report.committed, report.summary
    cases = list(Case.objects.filter(kind="key_task").order_by("id"))
    assert [c.title for c in cases] == [r[1] for r in good_rows(world)]
    for case, row_number in zip(cases, (3, 4, 5), strict=True):  # title on row 1, header on row 2
        event = case.events.get()
        assert (event.name, event.to_state, event.actor_id) == ("open_imported", "drafting", world.office_clerk.pk)
        assert event.payload["row"] == row_number and event.payload["file"] == "清单.xlsx"
        assert case.state == "drafting" and case.key_task_detail.year == 2026
    first = cases[0].key_task_detail
    assert first.planned_lead == world.committee and list(first.planned_co.all()) == [world.general_office]
    assert cases[0].milestones.count() == 2 and cases[1].key_task_detail.category == "监督"
    assert "导入3项" in report.summary
    # The same file again: every row skipped by its 序号.
    again = importing.import_tasks(world.office_clerk, sheet(good_rows(world)), 2026)
    assert again.committed and not again.imported and Case.objects.filter(kind="key_task").count() == 3


def test_a_bad_row_is_refused_with_its_row_number_and_nothing_is_imported(world):
    rows = good_rows(world)
    rows[1][4] = "张三"  # row 4: not a leader
    rows[2][7] = "年底"  # row 5: not a date
    rows.append(["4", "制定", "立法", "太短", world.leader.name, "", "", "2026-10-31", ""])  # row 6
    events = Event.objects.count()
    report = importing.import_tasks(world.office_clerk, sheet(rows), 2026)
    assert not report.committed
    assert not Case.objects.filter(kind="key_task").exists() and Event.objects.count() == events
    by_row = {r.row: r for r in report.error_rows}
    assert set(by_row) == {4, 5, 6}
    assert "责任领导“张三”不是本级主任会议成员" in by_row[4].reasons
    assert any("完成时限应为日期" in x for x in by_row[5].reasons)
    assert "任务名称至少5字，当前2字" in by_row[6].reasons and "工作内容和目标至少10字，当前2字" in by_row[6].reasons
    assert "第4、5、6行" in report.summary and "未导入任何任务" in report.summary
    assert report.rows[0].status == importing.RowStatus.NEW and report.rows[0].case is None


def test_file_level_errors(world):
    with pytest.raises(InvalidInput) as exc:
        importing.import_tasks(world.office_clerk, b"not an excel file", 2026)
    assert "无法读取该文件" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        importing.import_tasks(world.office_clerk, excel.write_sheet("", [excel.Column("任务名称"),
                                                                          excel.Column("类别")], []), 2026)
    assert "表头缺少必填列" in exc.value.message or "没有重点任务数据" in exc.value.message
    with pytest.raises(NotAllowed):
        importing.import_tasks(world.clerk, sheet(good_rows(world)), 2026)


def test_the_template_reads_back(world):
    data = importing.template_workbook()
    report = importing.import_tasks(world.office_clerk, data, 2026)
    assert report.committed and not report.imported
    assert {r.status for r in report.rows} == {importing.RowStatus.EXAMPLE}


def test_export_lists_the_years_approved_tasks(world):
    case = to_handling(world)
    fire(case, "propose_close_out", world.office_clerk, {"evidence": "条例已表决通过，常委会公告第12号。"})
    year = case.key_task_detail.year
    wb = load_workbook(io.BytesIO(exports.export_year(world.office_clerk, year)))
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == f"{year}年度常委会重点任务清单"
    assert values[1][:3] == ["编号", "任务名称", "类别"]
    assert values[2][0] == case.number and values[2][1] == case.title and values[2][7] == "销号待审定"
    with pytest.raises(NotAllowed):
        exports.export_year(world.committee_staff, year)
