"""Excel in and out: one reader for every import, one writer for every ledger and table.

Reading: declare the columns, get rows as dicts and the clerk's errors in Chinese, each
naming the Excel row the clerk sees::

    COLUMNS = [Column("原始编号", key="ref", required=True),
               Column("交办日期", key="assigned_on", parse=date),
               Column("答复分类", key="reply_class", parse=choice(["A", "B", "C"]))]
    try:
        result = read_sheet(upload, COLUMNS, item="建议")
    except SheetError as err:            # not an .xlsx, corrupt, empty, no header, too big
        return err.message
    result.errors                        # ["第5行：交办日期应为日期，如“2026-03-05”……"]
    result.records()                     # [{"ref": "5-001", "assigned_on": date(…), …}]

Writing: `write_sheet(title, columns, rows)` for one table, or `Workbook` / `Sheet` when a
sheet needs row colours or a note below the table. Both give the ledger's look: a merged
title line, a bold shaded header that stays put while scrolling, ruled cells, column widths
that fit Chinese text, an autofilter, dates as real Excel dates, A4 landscape printing.

Hostile files (docs/security.md): a workbook is checked as a ZIP before openpyxl opens it
(lvzhi.documents.uploads.check_zip: size once unpacked, compression ratio, members, its own
parts, no DTD, cells per row and in all), and a formula cell is read as its text
(“=HYPERLINK(…)”), never as the result Excel cached. Every str is written as a text cell,
never a formula: one starting with =, +, -, @, a tab or CR also gets Excel's quote prefix
(what typing a leading ' does), so Excel, WPS and LibreOffice show it as typed and keep it
text when the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from lvzhi.documents import uploads

# ---------------------------------------------------------------------------- limits

MAX_BYTES = uploads.DEFAULT_MAX_BYTES  # the default; settings.LVZHI_UPLOAD_MAX_BYTES decides
MAX_ROWS = 5000
HEADER_SCAN_ROWS = 5  # the secretariat's sheets often carry a title line above the header
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# ----------------------------------------------------------------------- file messages

EMPTY_FILE = "上传的文件是空的（0字节），请重新选择文件。"
BAD_FILE = ("无法读取该文件：请上传用导入模板填写的 Excel 文件（.xlsx）。"
            "旧版 .xls、WPS 的 .et 或 .csv 文件请先在 Excel/WPS 中“另存为 .xlsx”后再上传。")
TOO_LARGE = "文件过大（{size}），一次最多上传{limit}。请删去多余的工作表或图片，或分成几个文件上传。"
NO_HEADER = "没有找到表头：第一行应为 {headers}{found}。请下载导入模板，按模板的列填写。"
MISSING_COLUMNS = "表头缺少必填列：{missing}。表头应为：{headers}（请下载导入模板）。"
NO_ROWS = "文件中只有表头，没有{item}数据。请在表头下方逐行填写{item}后再上传。"
TOO_MANY_ROWS = "一次最多导入{limit}行，请分成几个文件导入。"


class SheetError(Exception):
    """The file as a whole cannot be read; `message` is for the clerk, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CellError(Exception):
    """Raised by a parser: `message` completes “<header>…”, e.g. “应为整数，不能填“三””."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------- parsers

Parser = Callable[[Any], Any]
"""A cell's raw value (never blank) → the row's value, or CellError."""


def cell_text(value: Any) -> str:
    """A cell as the clerk typed it: numbers without '.0', dates as 2026-03-05, TRUE as 是,
    Excel's _x000D_ and CR as line breaks, outer spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def text(value: Any) -> str:
    return cell_text(value)


def integer(value: Any) -> int:
    """42, 42.0, '42', '４２', '1,234' → int."""
    if isinstance(value, bool):
        raise CellError(f"应为整数，不能填“{cell_text(value)}”")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"应为整数，不能填“{cell_text(value)}”")
    raw = cell_text(value)
    normal = unicodedata.normalize("NFKC", raw).replace(",", "").strip()
    if re.fullmatch(r"[+-]?\d+", normal):
        return int(normal)
    raise CellError(f"应为整数，不能填“{raw}”")


EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
]


def date(value: Any) -> dt.date:
    """A real Excel date; an Excel day number; or text 2026-03-05, 2026/3/5, 2026.3.5,
    2026年3月5日, 20260305 (a time after the date is ignored)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) and 19000101 <= value <= 99991231:  # 20260305 typed as a number
            return date(str(value))
        if 1 <= value < 2958466:  # 1900-01-01 … 9999-12-31 as Excel counts days
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(f"应为日期，如“2026-03-05”或“2026年3月5日”，不能填“{cell_text(value)}”")
    raw = cell_text(value)
    normal = unicodedata.normalize("NFKC", raw)
    head = re.split(r"[\sT]+(?=\d{1,2}:)", normal, maxsplit=1)[0].strip()
    for pattern in DATE_PATTERNS:
        m = pattern.fullmatch(head)
        if m:
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                raise CellError(f"“{raw}”不是有效的日期") from None
    raise CellError(f"应为日期，如“2026-03-05”或“2026年3月5日”，不能填“{raw}”")


def choice(options: Mapping[str, Any] | Iterable[str] | Iterable[tuple[Any, str]]) -> Parser:
    """One of a fixed set, typed as its Chinese label (or as its value).

    `options` is {label: value}, or a list of labels (each its own value), or Django's
    choices [(value, label), …]; choice(CaseState.choices) accepts “办理中” and “handling”.
    """
    table: dict[str, Any] = {}
    labels: list[str] = []
    if isinstance(options, Mapping):
        for label, value in options.items():
            table[str(label)] = value
            labels.append(str(label))
    else:
        for item in options:
            if isinstance(item, tuple):
                value, label = item
                table[str(label)] = value
                table.setdefault(str(value), value)
                labels.append(str(label))
            else:
                table[str(item)] = item
                labels.append(str(item))

    def parse(value: Any) -> Any:
        raw = cell_text(value)
        key = unicodedata.normalize("NFKC", raw)
        for candidate in (raw, key, key.upper()):
            if candidate in table:
                return table[candidate]
        raise CellError(f"应为{'、'.join(labels)}之一，不能填“{raw}”")

    return parse


# ----------------------------------------------------------------------------- columns

def header_key(value: Any) -> str:
    """'附议代表（多人用、分隔）' → '附议代表': spaces, a template's hints and a leading * (the
    template's mark of a required column) are not part of the name."""
    name = re.sub(r"\s+", "", cell_text(value))
    return re.split(r"[（(]", name, maxsplit=1)[0].lstrip("*")


@dataclass(frozen=True)
class Column:
    """One column of a sheet, for reading and for writing.

    header    the name the template prints, and the errors use
    key       the row dict's key (the header when not given)
    aliases   other headers accepted when reading (older templates, other offices' wording)
    required  the header must be present (a file without it is refused as a whole)
    blank_ok  an empty cell is allowed (its value is "" for text, None otherwise); when not,
              the row gets “缺少<header>”
    parse     text, integer, date, choice(...) or any Parser
    width     the column's width when writing (Excel's unit, about one Latin character);
              None fits it to the header and values, a Chinese character counting two
    wrap      wrap long text in the cells when writing
    number_format  Excel's format when writing; dates get yyyy-mm-dd without one
    """

    header: str
    key: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    blank_ok: bool = True
    parse: Parser = text
    width: float | None = None
    wrap: bool = False
    number_format: str | None = None

    @property
    def name(self) -> str:
        return self.key or self.header

    def accepts(self, key: str) -> bool:
        return key in {header_key(h) for h in (self.header, *self.aliases)}


# ------------------------------------------------------------------------------ reading

@dataclass
class Row:
    number: int  # the Excel row number the clerk sees
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)  # without the “第5行：” prefix

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ReadResult:
    rows: list[Row]
    header_row: int  # the Excel row number of the header
    columns: list[Column]  # the declared columns found in the header

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def errors(self) -> list[str]:
        """“第5行：交办日期应为日期……”, one per problem, in row order."""
        return [f"第{r.number}行：{e}" for r in self.rows for e in r.errors]

    def records(self) -> list[dict[str, Any]]:
        return [r.values for r in self.rows]


def _size_label(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}".removesuffix(".0") + "MB"
    return f"{max(1, n // 1024)}KB"


def _bytes_of(file: bytes | IO[bytes], max_bytes: int) -> bytes:
    size = len(file) if isinstance(file, bytes | bytearray) else getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise SheetError(TOO_LARGE.format(size=_size_label(size), limit=_size_label(max_bytes)))
    data = bytes(file) if isinstance(file, bytes | bytearray) else file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SheetError(TOO_LARGE.format(size=f"超过{_size_label(max_bytes)}",
                                          limit=_size_label(max_bytes)))
    return data


def _check_package(data: bytes) -> None:
    """A real .xlsx that unpacks within the limits, or SheetError before openpyxl sees it."""
    if not data.startswith(b"PK\x03\x04"):
        raise SheetError(BAD_FILE)
    try:
        uploads.check_zip(data, uploads.ZIP_PARTS["xlsx"], label="Excel文件（.xlsx）",
                          scan_xml=True)
    except uploads.UploadError as err:
        if err.code in {"broken", "mismatch"}:
            raise SheetError(BAD_FILE) from None
        raise SheetError(err.message) from None


def _as_read(value: Any) -> Any:
    """An array formula as its text, like any other formula (“=SUM(A1:A3)”)."""
    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    return value


def read_sheet(file: bytes | IO[bytes], columns: Sequence[Column], *, item: str = "",
               sheet: int | str = 0, max_rows: int = MAX_ROWS, max_bytes: int | None = None,
               header_scan_rows: int = HEADER_SCAN_ROWS) -> ReadResult:
    """Read the sheet's rows under `columns`; SheetError if the file as a whole is unusable.

    The header is the first of the first `header_scan_rows` rows that names at least two of
    the columns (one, if only one is declared), so a title line above it is skipped.
    Columns not declared are ignored; rows with every declared cell empty are skipped.
    `item` names what a row is in the messages (“没有建议数据”).
    """
    if not columns:
        raise ValueError("read_sheet needs at least one column")
    data = _bytes_of(file, max_bytes or uploads.max_upload_bytes())
    if not data:
        raise SheetError(EMPTY_FILE)
    _check_package(data)
    try:
        # data_only=False: a formula cell is its text, never the value Excel cached for it
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise SheetError(BAD_FILE) from None
    try:
        try:
            ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet]
        except (KeyError, IndexError):
            raise SheetError(f"文件中没有工作表“{sheet}”。") from None
        scan = _scan(ws.iter_rows(values_only=True), columns, max_rows, header_scan_rows)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise SheetError(BAD_FILE) from None
    finally:
        wb.close()
    # parsed after the file is closed: a parser's own bug is not reported as a bad file
    return _result(scan, columns, item, header_scan_rows)


CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # a 12345 system's export: UTF-8 (with or without BOM) or GBK
BAD_CSV = "无法读取该CSV文件：请用 UTF-8 或 GBK 编码、逗号分隔的CSV文件，或另存为 .xlsx 后上传。"


def read_csv(file: bytes | IO[bytes], columns: Sequence[Column], *, item: str = "", max_rows: int = MAX_ROWS,
             max_bytes: int | None = None, header_scan_rows: int = HEADER_SCAN_ROWS) -> ReadResult:
    """`read_sheet` for a CSV file: the same columns, header search, parsers and messages."""
    import csv

    data = _bytes_of(file, max_bytes or uploads.max_upload_bytes())
    if not data:
        raise SheetError(EMPTY_FILE)
    for encoding in CSV_ENCODINGS:
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(BAD_CSV)
    if "\x00" in content:
        raise SheetError(BAD_CSV)
    try:
        rows = csv.reader(io.StringIO(content, newline=""))
        scan = _scan((tuple(r) for r in rows), columns, max_rows, header_scan_rows)
    except csv.Error:
        raise SheetError(BAD_CSV) from None
    return _result(scan, columns, item, header_scan_rows)


@dataclass
class _Scan:
    found: dict[int, Column] | None = None
    header_row: int = 0
    seen: list[str] = field(default_factory=list)
    raw_rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _scan(rows: Iterable[Sequence[Any]], columns: Sequence[Column], max_rows: int, header_scan_rows: int) -> _Scan:
    """Find the header among the first rows, then collect the non-empty rows under it."""
    headers = "、".join(c.header for c in columns)
    threshold = min(2, len(columns))
    scan = _Scan()
    for number, values in enumerate(rows, start=1):
        if scan.found is None:
            keys = [header_key(v) for v in values]
            matches = {i: c for i, k in enumerate(keys) for c in columns if k and c.accepts(k)}
            if len({c.name for c in matches.values()}) >= threshold:
                # a header named twice: the rightmost wins
                by_column = {c.name: (i, c) for i, c in sorted(matches.items())}
                scan.found = dict(by_column.values())
                scan.header_row = number
                missing = [c.header for c in columns if c.required and c.name not in by_column]
                if missing:
                    raise SheetError(MISSING_COLUMNS.format(missing="、".join(missing), headers=headers))
                continue
            scan.seen.extend(k for k in keys if k)
            if number >= header_scan_rows:
                break
            continue
        raw = {c.name: (_as_read(values[i]) if i < len(values) else None) for i, c in scan.found.items()}
        if not any(cell_text(v) for v in raw.values()):
            continue
        scan.raw_rows.append((number, raw))
        if len(scan.raw_rows) > max_rows:
            raise SheetError(TOO_MANY_ROWS.format(limit=max_rows))
    return scan


def _result(scan: _Scan, columns: Sequence[Column], item: str, header_scan_rows: int) -> ReadResult:
    if scan.found is None:
        headers = "、".join(c.header for c in columns)
        shown = f"（文件前{header_scan_rows}行中是：{'、'.join(scan.seen[:10])}）" if scan.seen else ""
        raise SheetError(NO_HEADER.format(headers=headers, found=shown))
    if not scan.raw_rows:
        raise SheetError(NO_ROWS.format(item=item))
    present = {c.name for c in scan.found.values()}
    rows = [_parse_row(number, raw, columns, present) for number, raw in scan.raw_rows]
    return ReadResult(rows=rows, header_row=scan.header_row, columns=[c for c in columns if c.name in present])


def _parse_row(number: int, raw: dict[str, Any], columns: Sequence[Column],
               present: set[str]) -> Row:
    row = Row(number=number, values={})
    for col in columns:
        value = raw.get(col.name) if col.name in present else None
        if cell_text(value) == "":
            if not col.blank_ok and col.name in present:
                row.errors.append(f"缺少{col.header}")
            row.values[col.name] = "" if col.parse is text else None
            continue
        try:
            row.values[col.name] = col.parse(value)
        except CellError as err:
            row.errors.append(f"{col.header}{err.message}")
            row.values[col.name] = None
    return row


# ------------------------------------------------------------------------------ writing

FONT_NAME = "宋体"
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEADER_FONT = Font(name=FONT_NAME, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_HEIGHT, HEADER_HEIGHT = 32, 22
MIN_WIDTH, MAX_WIDTH = 6, 60


def fill(rgb: str) -> PatternFill:
    """A solid row colour, 'F8CBAD'."""
    return PatternFill("solid", fgColor=rgb)


def display_width(value: Any) -> int:
    """Columns a value takes in Excel: a Chinese (wide) character counts two."""
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    longest = max((cell_text(value) or "").split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel and WPS may take for a formula


def _excel_value(value: Any) -> Any:
    """Excel has no time zones: an aware datetime is written as local wall time. Text drops
    the control characters an .xlsx cannot hold (openpyxl would refuse the whole sheet)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(ws: Worksheet, values: Sequence[Any]) -> int:
    """Append a row; every str is a text cell (never a formula, an error code or a number),
    and one that starts like a formula gets the quote prefix. Returns its row number."""
    written = [_excel_value(v) for v in values]
    ws.append(written)
    r = ws.max_row
    for c, value in enumerate(written, start=1):
        if isinstance(value, str):
            cell = ws.cell(row=r, column=c)
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
    return r


def _sheet_name(title: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title).strip("'")[:31]
    return name or "Sheet1"


class Sheet:
    """One worksheet of a `Workbook`: an optional title line, the header, rows, notes."""

    def __init__(self, ws: Worksheet, columns: Sequence[Column], *, title: str = "",
                 freeze_columns: int = 0, landscape: bool = True) -> None:
        self.ws = ws
        self.columns = list(columns)
        self.title = title
        self.freeze_columns = freeze_columns
        self.landscape = landscape
        self._widths = [display_width(c.header) for c in self.columns]
        self._rows = 0
        self._finished = False
        n = len(self.columns)
        if title:
            _append(ws, [title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
            ws["A1"].font = TITLE_FONT
            ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[1].height = TITLE_HEIGHT
        self.header_row = _append(ws, [c.header for c in self.columns])
        for cell in ws[self.header_row]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[self.header_row].height = HEADER_HEIGHT

    def row(self, values: Sequence[Any] | Mapping[str, Any], *, fill: PatternFill | None = None,
            bold: Iterable[str] = ()) -> int:
        """Append a row (a list in column order, or a dict by key); `fill` colours it, `bold`
        names columns (by key or header) to set in bold. Returns its Excel row number."""
        if self._finished:
            raise RuntimeError("rows go above the notes: add every row before note()")
        if isinstance(values, Mapping):
            values = [values.get(c.name) for c in self.columns]
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        bold = set(bold)
        r = _append(self.ws, values)
        for c, (col, value) in enumerate(zip(self.columns, values, strict=True), start=1):
            cell = self.ws.cell(row=r, column=c)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col.wrap)
            if col.number_format:
                cell.number_format = col.number_format
            elif isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if fill is not None:
                cell.fill = fill
            if col.name in bold or col.header in bold:
                cell.font = Font(bold=True)
            self._widths[c - 1] = max(self._widths[c - 1], display_width(value))
        self._rows += 1
        return r

    def note(self, text: str) -> None:
        """A line below the table (after one empty row): totals, who made it."""
        if not self._finished:
            self._finish()
            self.ws.append([])
        _append(self.ws, [text])

    def _finish(self) -> None:
        """Widths, frozen panes, autofilter and print setup, once every row is in."""
        if self._finished:
            return
        self._finished = True
        ws, n = self.ws, len(self.columns)
        for i, col in enumerate(self.columns, start=1):
            auto = min(MAX_WIDTH, max(MIN_WIDTH, self._widths[i - 1] + 2))
            ws.column_dimensions[get_column_letter(i)].width = col.width or auto
        ws.freeze_panes = f"{get_column_letter(self.freeze_columns + 1)}{self.header_row + 1}"
        last = get_column_letter(n)
        ws.auto_filter.ref = (f"A{self.header_row}:{last}"
                              f"{max(self.header_row, self.header_row + self._rows)}")
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        if self.landscape:
            ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


class Workbook:
    """Sheets in the ledger's style; `to_bytes()` gives the .xlsx."""

    def __init__(self) -> None:
        self.wb = _OpenpyxlWorkbook()
        self._sheets: list[Sheet] = []

    def sheet(self, name: str, columns: Sequence[Column], *, title: str = "",
              freeze_columns: int = 0, landscape: bool = True) -> Sheet:
        ws = self.wb.active if not self._sheets else self.wb.create_sheet()
        ws.title = _sheet_name(name)
        sheet = Sheet(ws, columns, title=title, freeze_columns=freeze_columns,
                      landscape=landscape)
        self._sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        if not self._sheets:
            raise ValueError("a workbook needs at least one sheet")
        for sheet in self._sheets:
            sheet._finish()
        buf = io.BytesIO()
        self.wb.save(buf)
        return buf.getvalue()


def write_sheet(title: str, columns: Sequence[Column],
                rows: Iterable[Sequence[Any] | Mapping[str, Any]], *, sheet_name: str = "",
                freeze_columns: int = 0) -> bytes:
    """One styled table as .xlsx: `title` on a merged first line (none if empty), then the
    header and `rows` (lists in column order, or dicts by column key)."""
    wb = Workbook()
    sheet = wb.sheet(sheet_name or title or "Sheet1", columns, title=title,
                     freeze_columns=freeze_columns)
    for values in rows:
        sheet.row(values)
    return wb.to_bytes()
