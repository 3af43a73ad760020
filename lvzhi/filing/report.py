"""The annual report on filing review (监督法 第四十五条; 北京 第四十条): the year's figures read by code
from the kinds `filing` and `review_request` and this part's group, the year's 备案目录 (Excel and a
page), a Word draft whose sentences are built from those figures, and the report's life after it is
drafted: heard by the 常委会, published, sent to the upper committee within 30 days of the hearing
(the clock SEND_UP, a rule-set value).

The 备案目录 of a year lists the filings received that year (Case.submitted_at, as the filing kind's
figures count them) that were registered (Case.registered_at): returned ones and ones still at form
review are not in it. So the 目录's length equals filing_reviewed (tested).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.cases.clocks import Clock, register_clock
from lvzhi.cases.deadlines import calendar_for, compute_due, existing_rules
from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.core.models import Congress, User
from lvzhi.documents import excel
from lvzhi.documents.word import OfficialDocument
from lvzhi.filing import states
from lvzhi.filing.choices import Criterion, DocKind, Outcome
from lvzhi.filing.models import AnnualReport, FilingDetail, SpecialReview

SEND_UP = "filing_report_send_up"
register_clock(Clock(SEND_UP, "年度报告报送上级", "days", default=30, duty=True, shown=False, remind=False,
                     basis="北京 备案审查条例第四十条：常委会听取报告后三十日内报送上一级人大常委会"))

LISTED_STATES = (*states.REVIEWING, *states.ENDED)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    value: int | None  # None: the figure is not declared (its kind not installed)
    unit: str


def _kind_figures(code: str) -> dict:
    from lvzhi.cases.kinds import get_kind

    try:
        return {f.code: f for f in get_kind(code).figures}
    except LookupError:
        return {}


def figures(congress: Congress, year: int) -> dict[str, Row]:
    """Every figure the report uses, by code."""
    from lvzhi.reports.registry import get_group

    start, end = period(year)
    declared: dict = {**_kind_figures("filing"), **_kind_figures("review_request")}
    group = get_group("filing_reports")
    declared.update({f.code: f for f in (group.figures if group else ())})
    out = {}
    for code, f in declared.items():
        out[code] = Row(code, f.label, f.cases([congress.pk], start, end).count(), f.unit)
    return out


def value(rows: dict[str, Row], code: str) -> int:
    row = rows.get(code)
    return row.value or 0 if row else 0


def directory(congress: Congress, year: int) -> QuerySet[FilingDetail]:
    """备案目录: the year's registered filings."""
    start, end = period(year)
    return (FilingDetail.objects.filter(case__congress=congress, case__registered_at__isnull=False,
                                        case__submitted_at__date__gte=start, case__submitted_at__date__lte=end)
            .select_related("case", "body").order_by("doc_kind", "published_on", "id"))


def result_label(f: FilingDetail) -> str:
    if f.outcome:
        return Outcome(f.outcome).label
    return "审查中"


DIRECTORY_COLUMNS = [
    excel.Column("序号", key="n", width=6), excel.Column("文号", key="number"),
    excel.Column("文件名称", key="title", width=48, wrap=True), excel.Column("制定机关", key="body"),
    excel.Column("文件类别", key="kind"), excel.Column("公布日期", key="published"),
    excel.Column("报送日期", key="filed"), excel.Column("是否逾期", key="late"),
    excel.Column("审查结果", key="result", width=30, wrap=True),
]


def directory_rows(congress: Congress, year: int) -> list[dict]:
    return [{"n": i, "number": f.doc_number, "title": f.case.title, "body": f.body.name,
             "kind": DocKind(f.doc_kind).label, "published": f.published_on,
             "filed": timezone.localtime(f.case.submitted_at).date(),
             "late": f"逾期{f.late_days}天" if f.late else "否",
             "result": result_label(f)} for i, f in enumerate(directory(congress, year), 1)]


def directory_xlsx(congress: Congress, year: int) -> bytes:
    rows = directory_rows(congress, year)
    wb = excel.Workbook()
    sheet = wb.sheet("备案目录", DIRECTORY_COLUMNS, title=f"{congress.short_name}常委会{year}年度规范性文件备案目录")
    for r in rows:
        sheet.row(r)
    sheet.note(f"共{len(rows)}件。")
    return wb.to_bytes()


def sentences(congress: Congress, year: int) -> list[tuple[str, list[str]]]:
    """The report's sections, each a heading and its paragraphs, from the figures."""
    rows = figures(congress, year)
    v = lambda code: value(rows, code)  # noqa: E731
    received = v("filing_received")
    by_kind = [f"{DocKind(k).label}{v('filing_' + k)}件" for k in DocKind.values if v("filing_" + k)]
    filed = (f"全年共接收报送备案的规范性文件{received}件" + ("，其中" + "，".join(by_kind) if by_kind else "") + "。"
             + f"按期报送{v('filing_on_time')}件，逾期报送{v('filing_late')}件"
             + (f"；不属于备案范围退回{v('filing_returned')}件" if v("filing_returned") else "") + "。")
    missing = v("filing_catalogue_missing")
    filed += (f"通过发文目录比对，发现漏报{missing}件，已督促制定机关补报。" if missing
              else "通过发文目录比对，未发现漏报。")
    crit = [f"{Criterion(c).label.split('）')[-1]}的{v('filing_criterion_' + c)}件" for c in Criterion.values
            if v("filing_criterion_" + c)]
    reviewed = (f"对报送备案的规范性文件逐件进行审查，全年审查{v('filing_reviewed')}件，"
                f"发现存在问题的{v('filing_problem')}件" + ("，其中" + "，".join(crit) if crit else "") + "。"
                f"经沟通、发出审查意见等方式督促制定机关纠正{v('filing_corrected')}件"
                + (f"，常委会决定撤销{v('filing_revoked')}件" if v("filing_revoked") else "")
                + (f"，通知停止执行{v('filing_stop_ordered')}件" if v("filing_stop_ordered") else "") + "。")
    requests = (f"全年收到公民、组织提出的审查建议{v('review_request_received')}件，"
                f"已审查{v('review_request_reviewed')}件，已反馈{v('review_request_answered')}件"
                + (f"；不属于审查范围不予登记{v('review_request_not_registered')}件"
                   if v("review_request_not_registered") else "")
                + (f"；依法不启动审查{v('review_request_not_started')}件" if v("review_request_not_started") else "")
                + "。")
    start, end = period(year)
    specials = list(SpecialReview.objects.filter(congress=congress, created_at__date__gte=start,
                                                 created_at__date__lte=end).order_by("created_at"))
    special = (f"围绕常委会中心工作开展专项审查、集中清理{v('filing_special_reviews')}次，"
               f"审查文件{v('filing_special_documents')}件，发现问题{v('filing_special_problems')}件。"
               if specials else "本年度未开展专项审查。")
    special_detail = [f"{s.title}：" + _special_summary(s) + "。" for s in specials]
    return [("备案工作情况", [filed]), ("审查工作情况", [reviewed]), ("审查建议办理情况", [requests]),
            ("专项审查和集中清理情况", [special, *special_detail]),
            ("下一步工作", ["坚持有件必备、有备必审、有错必纠，进一步规范报备工作，提高审查质量，"
                            "加强备案审查信息化建设，维护国家法制统一。"])]


def _special_summary(s: SpecialReview) -> str:
    items = list(s.items.all())
    problems = sum(1 for i in items if i.conclusion == "problem")
    return f"审查文件{len(items)}件，发现问题{problems}件"


def report_title(congress: Congress, year: int) -> str:
    return f"关于{year}年度规范性文件备案审查工作情况的报告"


def draft_docx(congress: Congress, year: int) -> bytes:
    issuer = f"{congress.short_name}常委会法制工作委员会"
    doc = OfficialDocument(issuer=issuer, title=report_title(congress, year))
    doc.addressee([f"{congress.short_name}常委会"])
    doc.paragraph(f"根据《中华人民共和国各级人民代表大会常务委员会监督法》第四十五条的规定，现将{year}年度"
                  "规范性文件备案审查工作情况报告如下。")
    for head, paras in sentences(congress, year):
        doc.heading(1, head)
        for p in paras:
            doc.paragraph(p)
    doc.signature(issuer, timezone.localdate())
    return doc.to_bytes()


def text_of(congress: Congress, year: int) -> str:
    return "\n".join(f"{head}\n" + "\n".join(paras) for head, paras in sentences(congress, year))


# ------------------------------------------------------------------ the report's life

def create(congress: Congress, year: int, actor: User, *, now: dt.datetime | None = None) -> AnnualReport:
    now = now or timezone.now()
    if year >= timezone.localtime(now).year:
        raise InvalidInput(f"{year}年度尚未结束，不能起草年度报告。")
    if AnnualReport.objects.filter(congress=congress, year=year).exists():
        raise InvalidInput(f"{year}年度报告已经起草。")
    return AnnualReport.objects.create(congress=congress, year=year, title=report_title(congress, year),
                                       text=text_of(congress, year), created_by=actor, created_at=now)


def refresh_text(report: AnnualReport) -> AnnualReport:
    if report.heard_on:
        raise WrongState("常委会已听取该报告，报告正文不能再按数据重新生成。")
    report.text = text_of(report.congress, report.year)
    report.save(update_fields=["text"])
    return report


def record_hearing(report: AnnualReport, heard_on: dt.date, actor: User) -> AnnualReport:
    if report.heard_on:
        raise WrongState("已记录常委会听取日期。")
    if heard_on > timezone.localdate():
        raise InvalidInput("常委会听取日期不能晚于今天。")
    if heard_on.year <= report.year:
        raise InvalidInput(f"{report.year}年度报告应于次年听取。")
    rules, cal = existing_rules(report.congress_id), calendar_for(report.congress_id)
    report.heard_on = heard_on
    report.send_up_due_on = compute_due(SEND_UP, heard_on, rules, cal)
    report.save(update_fields=["heard_on", "send_up_due_on"])
    return report


def publish(report: AnnualReport, actor: User, *, now: dt.datetime | None = None) -> AnnualReport:
    if not report.heard_on:
        raise WrongState("常委会听取报告后才能公开。")
    if report.published_at:
        raise WrongState("报告已经公开。")
    report.published_at = now or timezone.now()
    report.save(update_fields=["published_at"])
    return report


def send_up(report: AnnualReport, sent_on: dt.date, actor: User) -> AnnualReport:
    if not report.heard_on:
        raise WrongState("常委会听取报告后才能报送上一级人大常委会。")
    if report.sent_up_on:
        raise WrongState("报告已经报送。")
    if sent_on < report.heard_on or sent_on > timezone.localdate():
        raise InvalidInput("报送日期应在常委会听取之后、不晚于今天。")
    report.sent_up_on = sent_on
    report.save(update_fields=["sent_up_on"])
    return report


def send_up_light(report: AnnualReport, today: dt.date | None = None) -> str:
    """green / red / done: red once the due date passed without sending."""
    if report.sent_up_on:
        return "done" if report.sent_up_on <= (report.send_up_due_on or report.sent_up_on) else "red"
    if not report.send_up_due_on:
        return ""
    return "red" if (today or timezone.localdate()) > report.send_up_due_on else "green"
