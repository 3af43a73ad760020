"""发文目录 (北京 第十三条): each 制定机关 sends, by the end of January, the catalogue of the documents
it made, amended and repealed the year before; each made or amended row is matched to a filing by
文号, and one never filed is a 漏报 — flagged, counted, and the body told.

The due date is a rule-set value: RuleSet.params["filing_catalogue_due"] = "MM-DD" of the next year
(default "01-31"), rolled to the next working day like every other deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.cases.deadlines import calendar_for, existing_rules, roll_to_workday
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Notification, User
from lvzhi.documents import excel
from lvzhi.filing.models import Catalogue, CatalogueEntry, EntryAction, FilingBody, FilingDetail

DUE_PARAM = "filing_catalogue_due"
DUE_DEFAULT = "01-31"
COLUMNS = [
    excel.Column("文号", key="doc_number", required=True, blank_ok=False),
    excel.Column("文件名称", key="title", required=True, blank_ok=False, width=40),
    excel.Column("类别", key="action", required=True, blank_ok=False,
                 parse=excel.choice({label: code for code, label in EntryAction.choices})),
    excel.Column("公布日期", key="published_on", required=True, blank_ok=False, parse=excel.date),
]
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕",
                           "【": "〔", "】": "〕"})


def normalize_number(number: str) -> str:
    """北政发[2025]12号 and 北政发〔2025〕12号 are one 文号: brackets and spaces are not part of it."""
    return re.sub(r"\s+", "", (number or "").translate(_BRACKETS))


def due_on(congress_id: int, year: int) -> dt.date:
    """The catalogue of `year` is due on MM-DD of year + 1 (the rule set's value)."""
    raw = str((existing_rules(congress_id).params or {}).get(DUE_PARAM, DUE_DEFAULT))
    try:
        month, day = (int(x) for x in raw.split("-"))
        due = dt.date(year + 1, month, day)
    except ValueError:
        due = dt.date(year + 1, 1, 31)
    return roll_to_workday(due, calendar_for(congress_id))


def template_bytes(year: int) -> bytes:
    """The empty template a body fills in (one example row, to be replaced)."""
    return excel.write_sheet(f"{year}年度规范性文件发文目录", COLUMNS,
                             [[f"北政发〔{year}〕1号", "（示例，请删除）关于……的通知", "制定", dt.date(year, 1, 15)]],
                             sheet_name="发文目录")


def read_upload(file: bytes | IO[bytes]) -> list[dict[str, Any]]:
    """The rows of an uploaded catalogue; every problem in Chinese, nothing saved."""
    try:
        result = excel.read_sheet(file, COLUMNS, item="文件")
    except excel.SheetError as err:
        raise InvalidInput(err.message) from err
    if not result.ok:
        raise InvalidInput("；".join(result.errors[:10]))
    return result.records()


def parse_lines(text: str) -> list[dict[str, Any]]:
    """Rows typed on the page: “文号 | 文件名称 | 制定/修改/废止 | 2025-03-01”, one a line."""
    labels = {label: code for code, label in EntryAction.choices}
    rows = []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[|｜\t]", line)]
        if len(parts) != 4:
            raise InvalidInput(f"第{n}行：应为“文号 | 文件名称 | 类别 | 公布日期”四项，用“|”分隔。")
        number, title, action, day = parts
        if action not in labels:
            raise InvalidInput(f"第{n}行：类别应为制定、修改或废止。")
        try:
            published = dt.date.fromisoformat(day)
        except ValueError:
            raise InvalidInput(f"第{n}行：公布日期应为日期，如“2025-03-01”。") from None
        if not number or not title:
            raise InvalidInput(f"第{n}行：缺少文号或文件名称。")
        rows.append({"doc_number": number, "title": title, "action": labels[action], "published_on": published})
    return rows


def _check_rows(body: FilingBody, year: int, rows: list[dict[str, Any]]) -> None:
    if not rows:
        raise InvalidInput("目录中没有文件：请逐行填写上一年度制定、修改、废止的规范性文件。"
                           "如全年未制定规范性文件，请填写一行说明并联系法工委。")
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        number = normalize_number(row["doc_number"])
        if number in seen:
            raise InvalidInput(f"第{n}件：文号“{row['doc_number']}”重复。")
        seen.add(number)
        if row["published_on"].year != year:
            raise InvalidInput(f"第{n}件：公布日期{row['published_on']:%Y-%m-%d}不在{year}年度内。")
        if not any(number.startswith(p) for p in body.prefix_list):
            raise InvalidInput(f"第{n}件：文号“{row['doc_number']}”不是本机关的发文字号"
                               f"（应以{'、'.join(body.prefix_list)}开头）。")


def _filing_for(body: FilingBody, number: str) -> FilingDetail | None:
    return _filings_by_number(body).get(number)


def _filings_by_number(body: FilingBody) -> dict[str, FilingDetail]:
    return {normalize_number(f.doc_number): f for f in FilingDetail.objects.filter(body=body)}


def submit(body: FilingBody, year: int, rows: list[dict[str, Any]], actor: User, *,
           now: dt.datetime | None = None) -> Catalogue:
    """Record a body's catalogue for `year` and check it against the filings."""
    now = now or timezone.now()
    if year >= timezone.localtime(now).year:
        raise InvalidInput(f"{year}年度尚未结束，发文目录应于次年报送。")
    _check_rows(body, year, rows)
    if Catalogue.objects.filter(body=body, year=year).exists():
        raise InvalidInput(f"{body.name}{year}年度发文目录已经报送，不能重复报送。")
    filed = _filings_by_number(body)
    try:
        with transaction.atomic():
            cat = Catalogue.objects.create(congress_id=body.congress_id, body=body, year=year,
                                           due_on=due_on(body.congress_id, year), submitted_at=now,
                                           submitted_by=actor)
            missing = []
            for row in rows:
                filing = filed.get(normalize_number(row["doc_number"]))
                checked = row["action"] != EntryAction.REPEALED  # a repealed one is not filed again
                entry = CatalogueEntry.objects.create(
                    catalogue=cat, doc_number=row["doc_number"].strip(), title=row["title"].strip(),
                    action=row["action"], published_on=row["published_on"], filing=filing,
                    missing=checked and filing is None)
                if entry.missing:
                    missing.append(entry)
            if missing:
                _tell_body(body, f"{year}年度发文目录中有{len(missing)}件文件未报送备案（漏报）："
                           + "、".join(e.doc_number for e in missing) + "，请尽快补报。", now)
    except IntegrityError:
        raise InvalidInput(f"{body.name}{year}年度发文目录已经报送，不能重复报送。") from None
    return cat


def _tell_body(body: FilingBody, text: str, now: dt.datetime) -> None:
    from lvzhi.core.models import UNIT_ROLES

    users = User.objects.filter(organization_id=body.organization_id, role__in=UNIT_ROLES, is_active=True)
    Notification.objects.bulk_create([Notification(user=u, text=text[:300], created_at=now) for u in users])


def resolve(entry: CatalogueEntry, actor: User, *, now: dt.datetime | None = None) -> CatalogueEntry:
    """The 法工委 marks a 漏报 resolved once the body has filed it late. It stays counted as 漏报."""
    if not entry.missing:
        raise InvalidInput("该文件不是漏报文件。")
    if entry.resolved_at:
        raise InvalidInput("该漏报已确认补报。")
    filing = _filing_for(entry.catalogue.body, normalize_number(entry.doc_number))
    if filing is None:
        raise InvalidInput(f"{entry.doc_number}尚未报送备案：制定机关补报后才能确认。")
    CatalogueEntry.objects.filter(pk=entry.pk).update(filing=filing, resolved_at=now or timezone.now(),
                                                      resolved_by=actor)
    entry.refresh_from_db()
    return entry


def missing_entries(congress_id: int, year: int | None = None):
    qs = CatalogueEntry.objects.filter(catalogue__congress_id=congress_id, missing=True)
    if year:
        qs = qs.filter(catalogue__year=year)
    return qs.select_related("catalogue__body", "filing__case").order_by("catalogue__body__name", "published_on")


def not_submitted(congress_id: int, year: int) -> list[FilingBody]:
    done = Catalogue.objects.filter(congress_id=congress_id, year=year).values("body_id")
    return list(FilingBody.objects.filter(congress_id=congress_id).exclude(pk__in=done))
