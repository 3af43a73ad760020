"""Files in and out: the secretariat's Excel import, the ledger export, the assignment notice."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import Workbook, load_workbook

from lvzhi import realdata
from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Case, CosignState, Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import Notification
from lvzhi.deputies.models import Delegation, Deputy, DeputyStatus, Gender
from lvzhi.suggestions import documents, exports
from lvzhi.suggestions.importing import HEADERS, RowStatus, import_suggestions
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def real_messages(n: int) -> list[tuple[str, str]]:
    """(title, body) of real citizens' messages long enough to be a suggestion."""
    out = []
    with realdata.open_csv("messages_dev") as fh:
        for row in csv.DictReader(fh):
            title, body = row["title"].strip(), row["body"].replace("_x000D_", "").strip()
            if 5 <= len(title) <= 60 and 80 <= len(body) <= 600:
                out.append((title, body))
            if len(out) == n:
                return out
    raise AssertionError("not enough rows in messages_dev.csv")


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    Document().save(buf)  # a Word file renamed .xlsx: a zip, but not a workbook
    return buf.getvalue()


def workbook(rows: list[list], headers: list[str] | None = None, title_row: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    if title_row:
        ws.append([title_row])
    ws.append(headers or HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def real_rows(world, n: int = 3) -> list[list]:
    rows = []
    for i, (title, body) in enumerate(real_messages(n)):
        cosigners = "、".join(d.name for d in world.deputies[i + 1:i + 3])
        rows.append([f"5-{i + 1:03d}", title, world.deputies[i].name, cosigners, "城乡建设",
                     body, "是" if i == 0 else "否"])
    return rows


def login(client, user):
    client.force_login(user)  # django-axes wants a request for a password login
    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# ------------------------------------------------------------------------------ import

def test_import_real_rows_through_preview_and_confirm(world, client):
    login(client, world.clerk)
    rows = real_rows(world)
    data = workbook(rows, title_row="第十六届第五次会议代表建议汇总表")  # a title line above
    before = Case.objects.count()
    upload = io.BytesIO(data)
    upload.name = "秘书处汇总.xlsx"
    page = client.post(reverse("import_cases"), {"action": "preview", "session": world.session.pk,
                                                 "file": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("将导入") >= 3 and "第3行" in text and "第5行" in text
    assert rows[0][1] in text
    assert Case.objects.count() == before  # a preview writes nothing
    token = page.context["token"]

    done = client.post(reverse("import_cases"), {"action": "confirm", "token": token,
                                                 "session": world.session.pk})
    assert done.status_code == 200
    assert "导入完成" in done.content.decode()
    assert Case.objects.count() == before + 3
    first = Case.objects.get(source_ref="5-001")
    assert first.state == SuggestionState.SUBMITTED and first.kind == "suggestion"
    assert first.session == world.session and first.title == rows[0][1]
    assert first.lead_deputy == world.deputies[0] and first.submitter == world.deputies[0].user
    assert first.suggestion_detail.confidential is True
    assert sorted(first.cosigns.values_list("state", flat=True)) == [CosignState.CONFIRMED] * 2
    assert reverse("cases:detail", args=[first.pk]) in done.content.decode()
    events = Event.objects.filter(case=first)
    assert [(e.name, e.from_state, e.to_state) for e in events] == [("open_imported", "", "submitted")]
    assert events[0].payload["source_ref"] == "5-001" and events[0].payload["row"] == 3
    assert verify_chain(world.congress.pk) == (True, None)
    # the token is spent: posting it again imports nothing
    again = client.post(reverse("import_cases"), {"action": "confirm", "token": token,
                                                  "session": world.session.pk})
    assert again.status_code == 400 and "重新上传" in again.content.decode()
    assert Case.objects.count() == before + 3


def test_imported_case_is_registered_by_the_clerk_like_any_other(world):
    from lvzhi.cases.engine import fire

    import_suggestions(world.clerk, workbook(real_rows(world, 1)), world.session, commit=True)
    case = Case.objects.get(source_ref="5-001")
    fire(case, "register", world.clerk, {"category": "城乡建设"})
    case.refresh_from_db()
    assert case.state == SuggestionState.REGISTERED and case.number.endswith("第0001号")


def test_import_twice_changes_nothing(world, django_capture_on_commit_callbacks):
    data = workbook(real_rows(world))
    with django_capture_on_commit_callbacks(execute=True):
        first = import_suggestions(world.clerk, data, world.session, commit=True)
    assert first.committed and first.new_count == 3
    note = Notification.objects.get(user=world.deputies[0].user)
    assert "大会秘书处已将您领衔的建议" in note.text and note.case.source_ref == "5-001"
    cases, events = Case.objects.count(), Event.objects.count()
    second = import_suggestions(world.clerk, data, world.session, commit=True)
    assert [r.status for r in second.rows] == [RowStatus.SKIPPED] * 3
    assert "已导入过而跳过3件" in second.summary
    assert Case.objects.count() == cases and Event.objects.count() == events


def test_any_bad_row_means_nothing_is_imported(world):
    good = real_rows(world, 2)
    short = ["5-101", "关于增设公交站点的建议", world.deputies[0].name, "", "交通运输",
             "建议增设公交站点。", "否"]
    unknown = ["5-102", good[0][1], "不存在的代表", "", "城乡建设", good[0][5], "否"]
    bad_category = ["5-103", good[1][1], world.deputies[1].name, "", "市容管理", good[1][5], "否"]
    duplicate = ["5-001", good[1][1], world.deputies[2].name, "", "", good[1][5], "否"]
    data = workbook(good + [short, unknown, bad_category, duplicate])
    before = Case.objects.count(), Event.objects.count()
    report = import_suggestions(world.clerk, data, world.session, commit=True)
    assert not report.committed and report.has_errors
    assert (Case.objects.count(), Event.objects.count()) == before
    by_row = {r.row: r for r in report.rows}
    assert by_row[2].status == RowStatus.NEW and by_row[3].status == RowStatus.NEW
    assert by_row[4].status == RowStatus.ERROR and "内容过短" in by_row[4].reasons[0]
    assert "不存在的代表" in by_row[5].reasons[0] and "不是本级人大代表" in by_row[5].reasons[0]
    assert "类别“市容管理”不在类别表中" in by_row[6].reasons[0]
    assert "与第2行重复" in by_row[7].reasons[0]
    assert "第4、5、6、7行" in report.summary and "未导入任何建议" in report.summary


def test_same_name_needs_the_delegation(world):
    west = Delegation.objects.create(congress=world.congress, name="城西区代表团")
    twin = Deputy.objects.create(congress=world.congress, term=world.term, name="代表3",
                                 gender=Gender.MALE, delegation=west)
    (title, body), = real_messages(1)
    plain = import_suggestions(world.clerk, workbook([["5-201", title, "代表3", "", "", body, ""]]),
                               world.session, commit=True)
    reason = plain.rows[0].reasons[0]
    assert not plain.committed and "同名" in reason and "代表3（城东区代表团）" in reason
    named = import_suggestions(
        world.clerk, workbook([["5-201", title, "代表3（城西区代表团）", "代表4，代表5", "", body,
                                "否"]]), world.session, commit=True)
    assert named.committed
    case = Case.objects.get(source_ref="5-201")
    assert case.lead_deputy == twin and case.submitter is None  # a deputy without an account
    assert case.cosigns.count() == 2


def test_inactive_deputy_is_refused(world):
    Deputy.objects.filter(pk=world.deputies[1].pk).update(status=DeputyStatus.TERMINATED)
    (title, body), = real_messages(1)
    report = import_suggestions(world.clerk, workbook([["5-301", title, "代表0", "代表1", "", body,
                                                        "否"]]), world.session, commit=False)
    assert "代表资格终止" in report.rows[0].reasons[0]


@pytest.mark.parametrize("data, message", [
    (b"", "空的"),
    (b"id,title,body\n1,a,b\n", ".xlsx"),
    (_docx_bytes(), ".xlsx"),
    ("原始编号,标题\n".encode("gbk"), ".xlsx"),
    (workbook([["1", "2"]], headers=["编号", "题目", "代表"]), "没有找到表头"),
    (workbook([], headers=HEADERS), "只有表头"),
    (workbook([["1", "标题标题标题"]], headers=["原始编号", "标题", "类别"]), "缺少必填列：领衔代表、内容"),
])
def test_unreadable_files_get_a_chinese_message(world, data, message):
    with pytest.raises(InvalidInput) as err:
        import_suggestions(world.clerk, data, world.session, commit=True)
    assert message in err.value.message
    assert not Case.objects.exists()


def test_bad_file_through_the_page(world, client):
    login(client, world.clerk)
    upload = io.BytesIO(b"\xd0\xcf\x11\xe0 old binary xls")
    upload.name = "汇总.xls"
    page = client.post(reverse("import_cases"), {"action": "preview", "session": world.session.pk,
                                                 "file": upload})
    assert page.status_code == 400
    assert "另存为 .xlsx" in page.content.decode()
    missing = client.post(reverse("import_cases"), {"action": "preview",
                                                    "session": world.session.pk})
    assert missing.status_code == 400 and "请选择要导入的 Excel 文件" in missing.content.decode()
    assert not Case.objects.exists()


def test_the_template_downloads_and_its_example_row_is_never_imported(world, client):
    login(client, world.clerk)
    response = client.get(reverse("import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value.split("（")[0] for c in ws[1]] == HEADERS
    assert ws["A2"].value.startswith("示例")
    report = import_suggestions(world.clerk, response.content, world.session, commit=True)
    assert not report.committed and "示例行" in report.rows[0].reasons[0]


def test_only_the_congress_clerk_may_import(world, client):
    data = workbook(real_rows(world, 1))
    for user in (world.deputy_user, world.handlers[0], world.leader):
        with pytest.raises(NotAllowed):
            import_suggestions(user, data, world.session, commit=True)
        client.force_login(user)
        assert client.get(reverse("import_cases")).status_code == 403
        assert client.get(reverse("import_template")).status_code == 403
    with pytest.raises(NotAllowed):  # a clerk of another congress, for our session
        import_suggestions(world.other_congress_clerk, data, world.session, commit=True)
    assert not Case.objects.exists()


# ------------------------------------------------------------------------------ ledger

def _ledger(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _rows_by_title(ws) -> dict[str, dict[str, object]]:
    header = [c.value for c in ws[2]]
    out = {}
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[0] and row[1]:
            out[row[1]] = dict(zip(header, row, strict=False))
    return out


def test_ledger_columns_values_and_colours(world):
    handling = to_state(world, draft(world, title="关于加快老旧小区加装电梯的建议"), "handling")
    submitted = to_state(world, draft(world, deputy_index=3, title="关于增设社区养老服务站的建议"),
                         "submitted")
    draft(world, deputy_index=5, title="关于一份仍是草稿的建议")
    due = handling.deadlines.get(kind=DeadlineKind.REPLY, assignment__role="lead").due_on

    late = due + dt.timedelta(days=1)
    ws = _ledger(exports.build_ledger(world.clerk, {}, today=late))
    assert ws["A1"].value == (f"北辰市人大常委会 代表建议办理台账（{late.year}年{late.month}月"
                              f"{late.day}日导出）")
    assert [c.value for c in ws[2]] == [name for name, _ in exports.COLUMNS]
    assert ws.freeze_panes == "C3"
    rows = _rows_by_title(ws)
    assert "关于一份仍是草稿的建议" not in rows  # drafts are not in the ledger
    row = rows[handling.title]
    assert row["案号"] == handling.number and row["主办单位"] == "市住房和城乡建设局"
    assert row["会办单位"] == "市自然资源和规划局" and row["附议人数"] == 2
    assert row["答复期限"].date() == due and row["期限状态"] == "超期"
    assert row["状态"] == "办理中" and row["是否重点"] == "否"
    assert rows[submitted.title]["案号"] == "（未立案）"
    red_row = next(r for r in ws.iter_rows(min_row=3) if r[1].value == handling.title)
    assert red_row[0].fill.fgColor.rgb.endswith("F8CBAD")

    soon = _ledger(exports.build_ledger(world.clerk, {}, today=due - dt.timedelta(days=3)))
    assert _rows_by_title(soon)[handling.title]["期限状态"] == "临期"
    yellow_row = next(r for r in soon.iter_rows(min_row=3) if r[1].value == handling.title)
    assert yellow_row[0].fill.fgColor.rgb.endswith("FFE699")
    calm = _ledger(exports.build_ledger(world.clerk, {}, today=due - dt.timedelta(days=60)))
    assert _rows_by_title(calm)[handling.title]["期限状态"] == "正常"


def test_ledger_after_reply_shows_class_verdict_and_done(world):
    case = to_state(world, draft(world), "closed")
    row = _rows_by_title(_ledger(exports.build_ledger(world.clerk, {})))[case.title]
    assert row["答复分类"] == "B" and row["代表评价"] == "满意" and row["期限状态"] == "已完成"
    assert row["答复日期"] is not None and row["状态"] == "已办结"


def test_ledger_download_filters_and_query_count(world, client):
    def make(n: int, offset: int) -> None:
        for i in range(n):
            to_state(world, draft(world, deputy_index=offset + i, cosigners=1,
                                  title=f"关于改善第{offset + i}号片区交通的建议"), "handling")

    login(client, world.clerk)
    make(2, 0)
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("ledger_xlsx"))
    assert response.status_code == 200
    assert len(_rows_by_title(_ledger(response.content))) == 2
    make(4, 2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("ledger_xlsx"))
    assert len(_rows_by_title(_ledger(response.content))) == 6
    assert len(large) == len(small), "the ledger must not query once per case"

    only = client.get(reverse("ledger_xlsx"), {"state": "submitted"})
    assert _rows_by_title(_ledger(only.content)) == {}
    by_unit = client.get(reverse("ledger_xlsx"), {"unit": world.units[2].pk})
    assert _rows_by_title(_ledger(by_unit.content)) == {}
    by_session = client.get(reverse("ledger_xlsx"), {"session": world.session.pk,
                                                     "kind": "suggestion"})
    assert len(_rows_by_title(_ledger(by_session.content))) == 6
    assert "代表建议办理台账" in _ledger(by_session.content)["A1"].value
    # the case list's "导出台账" link passes its own filters through
    listed = client.get(reverse("ledger_xlsx"), {"q": "第3号片区", "category": "城乡建设",
                                                 "page": "2"})
    assert set(_rows_by_title(_ledger(listed.content))) == {"关于改善第3号片区交通的建议"}
    assert _rows_by_title(_ledger(client.get(reverse("ledger_xlsx"), {"key": "1"}).content)) == {}
    bad = client.get(reverse("ledger_xlsx"), {"session": "abc"})
    assert bad.status_code == 400 and "筛选条件有误" in bad.content.decode()


def test_units_see_only_their_own_cases_and_deputies_none(world, client):
    mine = to_state(world, draft(world, title="关于加快老旧小区加装电梯的建议"), "handling")
    # a second case assigned to another unit only
    from lvzhi.cases.engine import fire

    other = to_state(world, draft(world, deputy_index=4, title="关于优化学校周边交通的建议"),
                     "registered")
    fire(other, "assign", world.clerk, {"mode": "lead", "lead": world.units[2].pk})
    login(client, world.handlers[0])
    titles = set(_rows_by_title(_ledger(client.get(reverse("ledger_xlsx")).content)))
    assert titles == {mine.title}
    client.force_login(world.handlers[2])
    titles = set(_rows_by_title(_ledger(client.get(reverse("ledger_xlsx")).content)))
    assert titles == {other.title}
    client.force_login(world.deputy_user)
    refused = client.get(reverse("ledger_xlsx"))
    assert refused.status_code == 403 and "无权导出" in refused.content.decode()


# ------------------------------------------------------------------------------ notice

def _all_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_notice_docx_has_the_official_layout(world, client):
    case = to_state(world, draft(world), "handling")
    due = case.deadlines.get(kind=DeadlineKind.REPLY, assignment__role="lead").due_on
    login(client, world.clerk)
    response = client.get(reverse("case_notice_docx", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    text = _all_text(doc)
    assert doc.paragraphs[0].text == "北辰市人大常委会代表工作委员会"
    assert "关于交办市十六届人大五次会议第0001号建议的通知" in text.replace("\n", "")
    assert "市住房和城乡建设局：" in text
    assert "市自然资源和规划局会办" in text
    assert f"请于{due.year}年{due.month}月{due.day}日前答复代表" in text
    assert f"北人代工〔{timezone.localdate().year}〕1号" in text
    assert case.title in text and "附件" in text and "抄送：市自然资源和规划局" in text

    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)

    head = doc.paragraphs[0].runs[0]
    assert str(head.font.color.rgb) == documents.RED_HEX
    head_fonts = head._r.rPr.find(qn("w:rFonts"))
    assert head_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_run = next(r for p in doc.paragraphs if "请于" in p.text for r in p.runs)
    assert body_run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body_run.font.size.pt == 16
    assert doc.paragraphs[-1].text  # 版记 printed last
    # every run in body and footers names its East Asian font
    parts = [doc.element.body] + [s.footer._element for s in doc.sections] + \
        [s.even_page_footer._element for s in doc.sections]
    for part in parts:
        for r in part.iter(qn("w:r")):
            fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), r.xml[:200]
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text


def test_notice_permissions(world, client):
    case = to_state(world, draft(world), "handling")
    url = reverse("case_notice_docx", args=[case.pk])
    client.force_login(world.other_congress_clerk)
    assert client.get(url).status_code == 404
    client.force_login(world.handlers[1])  # the co-unit gets the same notice
    assert client.get(url).status_code == 200
    client.force_login(world.handlers[2])  # not assigned: the case does not exist for it
    assert client.get(url).status_code == 404
    client.force_login(world.deputy_user)
    assert client.get(url).status_code == 403
    registered = to_state(world, draft(world, deputy_index=4), "registered")
    client.force_login(world.clerk)
    page = client.get(reverse("case_notice_docx", args=[registered.pk]))
    assert page.status_code == 409 and "尚未交办" in page.content.decode()
