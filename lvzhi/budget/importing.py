"""The finance bureau's files in: preview first, then all of it or nothing.

`preview()` parses the file once (Excel or CSV, up to 200,000 rows), checks every row against
the 政府收支分类科目 and the departments, checks a 合计 row or a declared total, and either
lists the errors row by row (nothing kept) or keeps the parsed rows as a PendingImport and
shows what would change: the totals by book, the first rows, and, when the same (dataset, year,
month, source) is already imported with other figures, the difference by department and code.
The same figures again are refused as “数据与已导入的第N版相同”.

`confirm()` writes the pending rows in one transaction: a new BudgetImport revision (the old one
kept, marked superseded, so the committee can see what it was shown when), the facts in
batches, new departments from a budget file, and an event in the audit chain under the subject
"budget_import". After the commit the rule run (`run.after_import`) raises and lifts warnings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from lvzhi.budget import codes, run
from lvzhi.budget.importing_layouts import LAYOUTS, TOTAL_WORDS, Context, Layout, layout
from lvzhi.budget.models import BudgetImport, BudgetUnit, Dataset, Flow, PendingImport
from lvzhi.budget.permissions import may_import
from lvzhi.cases.events import append_subject_event
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import Congress, User
from lvzhi.documents.excel import SheetError, cell_text, read_csv, read_sheet, write_sheet

MAX_IMPORT_ROWS = 200_000
MAX_IMPORT_BYTES = 64 * 1024 * 1024  # 200,000 rows of a budget CSV with Chinese names are about 30 MB
BATCH = 5000
SHOWN_ERRORS = 200
SHOWN_DIFF = 200
HEAD_ROWS = 20
PENDING_TTL = dt.timedelta(days=1)
SUBJECT = "budget_import"
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportRefused(Exception):
    """The import cannot go on; `message` is for the officer, in Chinese. Nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class DiffRow:
    key: str  # 105001 市教育局 · 2050202 小学教育
    measure: str  # 预算数
    old: str
    new: str
    change: str  # +12.50, or "" for dates and states


@dataclass
class Preview:
    dataset: str
    year: int
    month: int
    source: str
    filename: str
    id: int | None = None  # the PendingImport to confirm; None when there is nothing to confirm
    rows: int = 0
    total: str | None = None
    by_book: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    head: list[list[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the first SHOWN_ERRORS
    error_count: int = 0
    same_revision: int | None = None  # the current revision holds these very figures
    base_revision: int | None = None  # the current revision a confirm would replace (更正)
    diff: list[DiffRow] = field(default_factory=list)
    diff_count: int = 0
    new_units: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.id is not None

    @property
    def dataset_label(self) -> str:
        return Dataset(self.dataset).label

    @property
    def period(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"

    @property
    def is_correction(self) -> bool:
        return self.base_revision is not None


@dataclass
class Confirmed:
    imp: BudgetImport
    created: bool  # False: the same figures were already current, nothing written
    replaced: BudgetImport | None = None
    result: run.RunResult | None = None
    run_failed: bool = False  # the import is committed; the rule run failed and can be run again


# ------------------------------------------------------------------------------ preview

def _refuse_unless_allowed(user: User, congress: Congress) -> None:
    if not may_import(user) or user.congress_id != congress.pk:
        raise ImportRefused("只有预算工委工作人员可以导入预算数据。")


def _period(dataset: str, year: Any, month: Any, source: str) -> tuple[int, int, str]:
    if dataset not in LAYOUTS:
        raise ImportRefused("请选择数据类别。")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ImportRefused("请填写年度，如2026。") from None
    if not 2000 <= year <= 2100:
        raise ImportRefused(f"年度“{year}”不对，应为2000至2100之间的年份。")
    if dataset == Dataset.EXECUTION:
        try:
            month = int(month)
        except (TypeError, ValueError):
            month = 0
        if not 1 <= month <= 12:
            raise ImportRefused("月度执行数据须选择月份（1至12月）。")
    else:
        month = 0
    source = (source or "").strip()
    if not source:
        raise ImportRefused("请填写数据来源，如“市财政局国库集中支付系统”。")
    if len(source) > 60:
        raise ImportRefused("数据来源最多60个字。")
    return year, month, source


def _read(lay: Layout, file: bytes | IO[bytes], filename: str):
    reader = read_csv if filename.lower().endswith(".csv") else read_sheet
    try:
        return reader(file, lay.columns, item=lay.item, max_rows=MAX_IMPORT_ROWS, max_bytes=MAX_IMPORT_BYTES)
    except SheetError as err:
        # The platform's Excel limits guard memory (openpyxl holds every cell); a month of a whole
        # city's execution is bigger than an xlsx may be here, and CSV has no such cost.
        hint = "" if reader is read_csv else f"大数据量请在财政系统中导出为CSV文件导入（最多{MAX_IMPORT_ROWS}行）。"
        raise ImportRefused(err.message + hint) from None


def _is_total_row(lay: Layout, values: dict[str, Any]) -> bool:
    return any(cell_text(values.get(k)).replace(" ", "") in TOTAL_WORDS for k in lay.label_columns)


def _wan(d: Decimal) -> str:
    return f"{d:,.2f}"


def preview(user: User, congress: Congress, dataset: str, *, year: Any, month: Any = 0, source: str,
            file: bytes | IO[bytes], filename: str, declared_total: Decimal | None = None) -> Preview:
    """Parse and check the file; keep it for confirmation when every row is right. Raises
    ImportRefused when the file as a whole cannot be read; row errors come back in the Preview."""
    _refuse_unless_allowed(user, congress)
    year, month, source = _period(dataset, year, month, source)
    lay = layout(dataset)
    result = _read(lay, file, filename)
    ctx = Context(units=dict(BudgetUnit.objects.filter(congress=congress).values_list("code", "name")),
                  creates_units=dataset in (Dataset.BUDGET, Dataset.DRAFT), month=month)
    out = Preview(dataset, year, month, source, filename[:200])
    errors: list[str] = []
    records: list[tuple[int, dict[str, Any]]] = []
    total_rows: list[tuple[int, Decimal | None]] = []
    for row in result.rows:
        v = row.values
        if _is_total_row(lay, v):
            amount = v.get(lay.amount_field) if lay.amount_field else None
            errors.extend(f"第{row.number}行：{e}" for e in row.errors if lay.amount_field and
                          e.startswith(_header(lay, lay.amount_field)))
            total_rows.append((row.number, amount))
            continue
        v["_row"] = row.number
        if row.errors:
            v["_failed"] = {c.name for c in lay.columns if any(e.startswith(c.header) for e in row.errors)}
        record, problems = lay.check(v, ctx)
        problems = row.errors + problems
        if problems:
            errors.extend(f"第{row.number}行：{e}" for e in problems)
        else:
            records.append((row.number, record))
    total = _sum(r[lay.amount_field] for _, r in records) if lay.amount_field else None
    if total is not None and not errors:
        header = _header(lay, lay.amount_field)
        for number, declared in total_rows:
            if declared is not None and declared != total:
                errors.append(f"第{number}行：合计行{header}为{_wan(declared)}万元，各行合计为{_wan(total)}万元，"
                              f"相差{_wan(declared - total)}万元")
        if declared_total is not None and Decimal(declared_total) != total:
            errors.append(f"填写的合计{_wan(Decimal(declared_total))}万元与文件各行{header}合计{_wan(total)}万元不符，"
                          f"相差{_wan(Decimal(declared_total) - total)}万元")
    if not records and not errors:
        errors.append(f"文件中只有合计行，没有{lay.item}数据。")
    out.error_count = len(errors)
    out.errors = errors[:SHOWN_ERRORS]
    if errors:
        return out
    unit_names = {**ctx.units, **{c: n for c, (n, _) in ctx.new_units.items()}}
    out.rows = len(records)
    out.total = str(total) if total is not None else None
    out.by_book = _by_book(lay, records)
    out.headers, out.head = _head(lay, records[:HEAD_ROWS], unit_names)
    out.new_units = sorted((c, n) for c, (n, _) in ctx.new_units.items())
    digest = _digest(lay, (r for _, r in records))
    current = _current(congress, dataset, year, month, source).first()
    if current is not None and current.digest == digest:
        out.same_revision = current.revision
        return out
    if current is not None:
        out.base_revision = current.revision
        out.diff, out.diff_count = _difference(lay, _stored_records(lay, current), (r for _, r in records),
                                               unit_names)
    PendingImport.objects.filter(by=user, at__lt=timezone.now() - PENDING_TTL).delete()
    packed = zlib.compress(json.dumps([[n, *(r[f] for f in lay.fields)] for n, r in records],
                                      ensure_ascii=False, separators=(",", ":")).encode(), 1)
    pending = PendingImport.objects.create(
        congress=congress, dataset=dataset, year=year, month=month, source=source, filename=out.filename, by=user,
        digest=digest, rows=out.rows, total=total, base=current, summary=_summary(out), data=packed)
    out.id = pending.pk
    return out


def _header(lay: Layout, key: str) -> str:
    return next(c.header for c in lay.columns if c.name == key)


def _sum(values: Iterable[str | None]) -> Decimal:
    return sum((Decimal(v) for v in values if v is not None), Decimal("0.00"))


def _current(congress: Congress, dataset: str, year: int, month: int, source: str) -> models.QuerySet[BudgetImport]:
    return BudgetImport.objects.filter(congress=congress, dataset=dataset, year=year, month=month, source=source,
                                       is_current=True)


def _choice_labels(lay: Layout, name: str) -> dict[str, str]:
    f = lay.model._meta.get_field(name)
    return {str(k): str(v) for k, v in f.choices} if f.choices else {}


def _by_book(lay: Layout, records: list[tuple[int, dict[str, Any]]]) -> list[tuple[str, str]]:
    if not lay.has_book or not lay.amount_field:
        return []
    books = _choice_labels(lay, "book")
    flows = dict(Flow.choices)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for _, r in records:
        label = books[r["book"]] + (f"·{flows[r['flow']]}" if "flow" in r else "")
        sums[label] += Decimal(r[lay.amount_field])
    order = {label: i for i, label in enumerate(books.values())}
    return [(k, _wan(v)) for k, v in sorted(sums.items(), key=lambda kv: (order.get(kv[0].split("·")[0], 9), kv[0]))]


def _head(lay: Layout, records: list[tuple[int, dict[str, Any]]],
          unit_names: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    meta = lay.model._meta
    headers = ["行"] + [str(meta.get_field(f).verbose_name) for f in lay.fields]
    labels = {f: _choice_labels(lay, f) for f in lay.fields if f != "unit"}
    rows = []
    for n, r in records:
        cells = [str(n)]
        for f in lay.fields:
            value = r[f]
            if f == "unit":
                cells.append(f"{value} {unit_names.get(value, '')}" if value else "本级")
            else:
                cells.append(labels[f].get(str(value), "" if value is None else str(value)))
        rows.append(cells)
    return headers, rows


def _canonical(lay: Layout, record: dict[str, Any]) -> str:
    return json.dumps([record[f] for f in lay.fields], ensure_ascii=False, separators=(",", ":"))


def _digest(lay: Layout, records: Iterable[dict[str, Any]]) -> str:
    """SM3 of the sorted rows: the same figures in another row order are the same data."""
    return sm3_hex("\n".join(sorted(_canonical(lay, r) for r in records)))


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _stored_records(lay: Layout, imp: BudgetImport) -> Iterator[dict[str, Any]]:
    names = ["unit__code" if f == "unit" else f for f in lay.fields]
    for values in lay.model.objects.filter(imp=imp).values_list(*names).iterator(chunk_size=BATCH):
        yield {f: _json_value(v) for f, v in zip(lay.fields, values, strict=True)}


def _aggregate(lay: Layout, records: Iterable[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    sums: dict[tuple[str, str], Any] = {}
    for r in records:
        key = lay.key(r)
        for f, label in lay.measures:
            value = r[f]
            if lay.model._meta.get_field(f).get_internal_type() == "DecimalField":
                sums[key, label] = sums.get((key, label), Decimal("0.00")) + (Decimal(value) if value else 0)
            else:
                sums[key, label] = value
    return sums


def _key_label(key: str, unit_names: dict[str, str]) -> str:
    flows = dict(Flow.choices)
    parts = []
    for part in key.split("|"):
        if part in unit_names:
            parts.append(f"{part} {unit_names[part]}")
        elif part in flows:
            parts.append(flows[part])
        elif code := codes.get(codes.FUNCTION, part) or codes.get(codes.REVENUE, part):
            parts.append(f"{part} {code.name}")
        elif part:
            parts.append(part)
    return " · ".join(parts) or "本级"


def _difference(lay: Layout, old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]],
                unit_names: dict[str, str]) -> tuple[list[DiffRow], int]:
    """What changes by department and code (or region, enterprise, problem): old, new, change."""
    before, after = _aggregate(lay, old), _aggregate(lay, new)
    labels = {f: _choice_labels(lay, f) for f, _ in lay.measures}
    measure_field = {label: f for f, label in lay.measures}
    changed = []
    for k in before.keys() | after.keys():
        a, b = before.get(k), after.get(k)
        if a == b:
            continue
        if isinstance(a, Decimal) or isinstance(b, Decimal):
            a, b = a or Decimal("0.00"), b or Decimal("0.00")
            if a == b:
                continue
            changed.append((abs(b - a), DiffRow(_key_label(k[0], unit_names), k[1], _wan(a), _wan(b),
                                                f"{b - a:+,.2f}")))
        else:
            shown = labels[measure_field[k[1]]]
            changed.append((Decimal(0), DiffRow(_key_label(k[0], unit_names), k[1], shown.get(str(a), a or "（无）"),
                                                shown.get(str(b), b or "（无）"), "")))
    changed.sort(key=lambda t: (-t[0], t[1].key, t[1].measure))
    return [d for _, d in changed[:SHOWN_DIFF]], len(changed)


def _summary(p: Preview) -> dict[str, Any]:
    data = asdict(p)
    for k in ("dataset", "year", "month", "source", "filename", "id", "errors", "error_count", "same_revision"):
        data.pop(k)
    return data


def load_preview(user: User, preview_id: int) -> Preview:
    """The preview page again (GET after the upload's redirect), for the officer who uploaded it."""
    pending = _pending(user, preview_id)
    s = pending.summary
    return Preview(pending.dataset, pending.year, pending.month, pending.source, pending.filename, id=pending.pk,
                   rows=s["rows"], total=s["total"], by_book=[tuple(b) for b in s["by_book"]], headers=s["headers"],
                   head=s["head"], base_revision=s["base_revision"], diff=[DiffRow(**d) for d in s["diff"]],
                   diff_count=s["diff_count"], new_units=[tuple(u) for u in s["new_units"]])


def _pending(user: User, preview_id: int) -> PendingImport:
    if not may_import(user):
        raise ImportRefused("只有预算工委工作人员可以导入预算数据。")
    pending = PendingImport.objects.filter(pk=preview_id, by=user, congress_id=user.congress_id).first()
    if pending is None:
        raise ImportRefused("这次预览已确认或已失效，请重新上传文件。")
    return pending


# ------------------------------------------------------------------------------ confirm

def confirm(user: User, preview_id: int, *, note: str = "") -> BudgetImport:
    return confirm_import(user, preview_id, note=note).imp


def confirm_import(user: User, preview_id: int, *, note: str = "", now: dt.datetime | None = None,
                   run_rules: bool = True) -> Confirmed:
    """Write the previewed rows, all or nothing; then run the warning rules on the committed data
    (`run_rules=False`: the caller runs them, as the benchmark does to time them apart)."""
    now = now or timezone.now()
    note = (note or "").strip()
    pending = _pending(user, preview_id)
    if pending.base_id is not None and not note:
        raise ImportRefused(f"{pending.year}年{f'{pending.month}月' if pending.month else ''}的这项数据已导入过，"
                            "本次导入为更正，请填写更正说明。")
    if len(note) > 200:
        raise ImportRefused("更正说明最多200个字。")
    try:
        with transaction.atomic():
            done = _write(user, pending, note, now)
    except IntegrityError:
        # the partial unique constraint: another confirm of this period committed between our check and write
        raise ImportRefused("另一位工作人员同时导入了同一期数据，本次未保存任何数据。"
                            "请查看导入记录后重新上传预览。") from None
    if done.created and run_rules:
        try:
            done.result = run.after_import(done.imp)
        except Exception:
            # the figures are in and stay in; a failed run must not read as a failed import
            logger.exception("budget rule run failed after import %s", done.imp.pk)
            done.run_failed = True
    return done


def _write(user: User, pending: PendingImport, note: str, now: dt.datetime) -> Confirmed:
    key = {"congress_id": pending.congress_id, "dataset": pending.dataset, "year": pending.year,
           "month": pending.month, "source": pending.source}
    # the lock makes a second confirm of the same period wait here (PostgreSQL), then see our revision
    current = BudgetImport.objects.select_for_update().filter(**key, is_current=True).first()
    if current is not None and current.digest == pending.digest:
        pending.delete()
        return Confirmed(current, created=False)
    if (current.pk if current else None) != pending.base_id:
        shown = f"第{current.revision}版" if current else "新的版本"
        raise ImportRefused(f"预览之后，这一期数据已有{shown}导入，本次未保存。请重新上传文件，核对差异后再确认。")
    lay = layout(pending.dataset)
    rows = json.loads(zlib.decompress(pending.data))
    if pending.dataset in (Dataset.BUDGET, Dataset.DRAFT):
        _create_units(pending)
    last = BudgetImport.objects.filter(**key).aggregate(n=Max("revision"))["n"] or 0
    if current is not None:
        current.is_current, current.superseded_at = False, now
        current.save(update_fields=["is_current", "superseded_at"])
    imp = BudgetImport.objects.create(**key, revision=last + 1, digest=pending.digest, rows=pending.rows,
                                      total=pending.total, filename=pending.filename, by=user, at=now, note=note)
    units = dict(BudgetUnit.objects.filter(congress_id=pending.congress_id).values_list("code", "id"))
    _insert(lay, imp, rows, units)
    label = f"导入{imp}" + (f"，更正第{current.revision}版：{note}" if current else "")
    append_subject_event(SUBJECT, imp.pk, imp.congress_id, user, "corrected" if current else "imported", label[:200],
                         payload={"dataset": imp.dataset, "year": imp.year, "month": imp.month, "source": imp.source,
                                  "revision": imp.revision, "rows": imp.rows, "total": imp.total,
                                  "digest": imp.digest, "filename": imp.filename, "note": note,
                                  "replaced": current.pk if current else None}, at=now)
    pending.delete()
    return Confirmed(imp, created=True, replaced=current)


def _create_units(pending: PendingImport) -> None:
    """A budget file brings the departments the congress does not know yet (code and name)."""
    wanted = {u for u, _ in pending.summary.get("new_units", [])}
    if not wanted:
        return
    names = dict((c, n) for c, n in pending.summary["new_units"])
    known = set(BudgetUnit.objects.filter(congress_id=pending.congress_id, code__in=wanted)
                .values_list("code", flat=True))
    start = BudgetUnit.objects.filter(congress_id=pending.congress_id).aggregate(n=Max("sort_order"))["n"] or 0
    BudgetUnit.objects.bulk_create([BudgetUnit(congress_id=pending.congress_id, code=c, name=names[c][:100],
                                               sort_order=start + i + 1)
                                    for i, c in enumerate(sorted(wanted - known))])


def _insert(lay: Layout, imp: BudgetImport, rows: list[list[Any]], units: dict[str, int]) -> None:
    """The facts as plain tuples through executemany, in batches: bulk_create spent nine tenths of a
    200,000-row confirm building model instances and preparing each value; the values here are
    already checked and typed (Decimal, date), which both database drivers bind as they are."""
    meta = lay.model._meta
    fields = [meta.get_field(n) for n in ("imp", "congress", "year", "row", *lay.fields)]
    assert {f.column for f in fields} == {f.column for f in meta.concrete_fields if not f.primary_key}, lay.dataset
    kinds = ["unit" if f == "unit" else meta.get_field(f).get_internal_type() for f in lay.fields]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    head = (imp.pk, imp.congress_id, imp.year)

    def values() -> Iterator[tuple[Any, ...]]:
        for n, *cells in rows:
            out: list[Any] = [*head, n]
            for kind, v in zip(kinds, cells, strict=True):
                if v is None or (kind == "unit" and not v):
                    out.append(None)
                elif kind == "unit":
                    out.append(units[v])
                elif kind == "DecimalField":
                    out.append(Decimal(v))
                elif kind == "DateField":
                    out.append(dt.date.fromisoformat(v))
                else:
                    out.append(v)
            yield tuple(out)

    it = values()
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(it, BATCH)):
            cursor.executemany(sql, batch)


# ------------------------------------------------------------------------------ reading

@dataclass
class Period:
    """One (dataset, year, month, source) with its revisions, newest first."""

    dataset: str
    year: int
    month: int
    source: str
    revisions: list[BudgetImport]

    @property
    def dataset_label(self) -> str:
        return Dataset(self.dataset).label

    @property
    def current(self) -> BudgetImport | None:
        return next((r for r in self.revisions if r.is_current), None)


def history(congress: Congress, *, dataset: str = "", year: int | None = None) -> list[Period]:
    """What the committee was shown when: each period's revisions, the current one marked."""
    qs = BudgetImport.objects.filter(congress=congress).select_related("by")
    if dataset:
        qs = qs.filter(dataset=dataset)
    if year:
        qs = qs.filter(year=year)
    groups: dict[tuple[str, int, int, str], list[BudgetImport]] = defaultdict(list)
    for imp in qs.order_by("-year", "dataset", "-month", "source", "-revision"):
        groups[imp.dataset, imp.year, imp.month, imp.source].append(imp)
    return [Period(*k, revisions=v) for k, v in groups.items()]


def template_xlsx(dataset: str) -> bytes:
    lay = layout(dataset)
    return write_sheet(f"{Dataset(dataset).label}导入表", lay.columns, [list(lay.sample)])
