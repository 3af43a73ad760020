"""Files as a city's finance bureau, audit office and 国资委 export them, for the tests, the demo
and the browser walk: real Chinese names, valid 政府收支分类科目 codes, figures that add up.

Every function returns the file's bytes (``fmt="xlsx"`` or ``"csv"``) in the columns
lvzhi/budget/importing_layouts.py reads, and is deterministic: the same arguments give the same
bytes' figures, so re-importing a sample is recognised as the same data.

    budget_file(units)                          # approved budget lines of the four books
    execution_file(units, 3, pace=0.8)          # March: revenue and spending at 80% of time progress
    big_execution_csv(200_000, units)           # the benchmark's file
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lvzhi.budget.importing_layouts import LAYOUTS
from lvzhi.documents.excel import write_sheet

UnitLike = Any  # a BudgetUnit, or a (code, name) pair
CENT = Decimal("0.01")

# What each kind of department spends on: (function code, economic code, project name or "" for 基本支出,
# share of the department's budget). Names as a city's project library writes them.
CATALOG: dict[str, list[tuple[str, str, str, float]]] = {
    "人大": [("2010101", "30101", "", 0.45), ("2010104", "30215", "市人民代表大会会议经费", 0.2),
           ("2010108", "30227", "人大代表履职服务保障", 0.2), ("2010106", "30211", "执法检查和专题调研", 0.15)],
    "教育": [("2050101", "30101", "", 0.08), ("2050201", "31005", "公办幼儿园扩容建设", 0.17),
           ("2050202", "30227", "义务教育学校公用经费补助", 0.3), ("2050203", "30227", "初中学校课后服务补助", 0.2),
           ("2050204", "31002", "普通高中教学设备更新", 0.15), ("2050901", "30905", "农村中小学校舍维修改造", 0.1)],
    "民政": [("2080101", "30101", "", 0.1), ("2081002", "30305", "居家和社区养老服务补贴", 0.3),
           ("2081901", "30305", "城市最低生活保障金", 0.4), ("2081107", "30305", "困难残疾人生活补贴", 0.2)],
    "卫生": [("2100101", "30101", "", 0.1), ("2100201", "31002", "市第一人民医院设备购置", 0.3),
           ("2100401", "30227", "重大传染病防控", 0.25), ("2100408", "30227", "基本公共卫生服务项目", 0.35)],
    "城管": [("2120101", "30101", "", 0.15), ("2120104", "30227", "城市管理综合执法", 0.2),
           ("2120501", "30227", "城区道路清扫保洁", 0.35), ("2120803", "30905", "老城区背街小巷整治", 0.3)],
    "财政": [("2010601", "30101", "", 0.1), ("2010607", "31007", "预算管理一体化系统运维", 0.1),
           ("2270101", "39999", "预备费", 0.05), ("2310301", "39999", "地方政府一般债券还本", 0.45),
           ("2320301", "30701", "地方政府一般债券付息", 0.3)],
    "其他": [("2010301", "30101", "", 0.4), ("2010302", "30201", "机关日常运转", 0.2),
           ("2010350", "30227", "信息化建设运维", 0.2), ("2299999", "30227", "重点工作专项经费", 0.2)],
}
KEYWORDS = [("人大", "人大"), ("教育", "教育"), ("民政", "民政"), ("卫生", "卫生"), ("城市管理", "城管"),
            ("财政", "财政")]
# Lines of the other three books, carried by the finance bureau (code 106001 in the test world).
OTHER_BOOKS = [("政府性基金预算", "2120803", "30905", "城市基础设施配套建设", 46000),
               ("政府性基金预算", "2140601", "30905", "国省道干线公路改造", 18000),
               ("国有资本经营预算", "2230201", "31203", "国有企业资本金注入", 12000),
               ("国有资本经营预算", "2230105", "30305", "国有企业退休人员社会化管理补助", 2600),
               ("社会保险基金预算", "2090101", "30302", "机关事业单位基本养老保险基金支出", 86000),
               ("社会保险基金预算", "2091001", "30305", "城乡居民基本医疗保险基金医疗待遇支出", 54000)]
REVENUE = [("一般公共预算", "10101", 0.36), ("一般公共预算", "10104", 0.15), ("一般公共预算", "10106", 0.06),
           ("一般公共预算", "10109", 0.05), ("一般公共预算", "10118", 0.08), ("一般公共预算", "10304", 0.04),
           ("政府性基金预算", "1034101", 0.2), ("国有资本经营预算", "1060199", 0.01),
           ("社会保险基金预算", "10201", 0.05)]
SANGONG_LINES = [("30217", "公务接待费", 0.01), ("30231", "公务用车运行维护费", 0.015)]


def _unit(u: UnitLike) -> tuple[str, str]:
    return (u.code, u.name) if hasattr(u, "code") else (str(u[0]), str(u[1]))


def _kind(name: str) -> str:
    return next((k for word, k in KEYWORDS if word in name), "其他")


def _money(x: float | Decimal) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def _size(code: str, scale: float) -> float:
    """A department's budget in 万元: 3,000 to 60,000, fixed by its code."""
    return (3000 + (int("".join(ch for ch in code if ch.isdigit()) or "0") * 7919) % 57000) * scale


def budget_rows(units: Iterable[UnitLike], *, year: int = 2026, scale: float = 1.0,
                other_books: bool = True) -> list[list[Any]]:
    """Rows of the approved budget, in BUDGET_COLUMNS order."""
    rows: list[list[Any]] = []
    finance_seen = False
    for u in units:
        code, name = _unit(u)
        kind = _kind(name)
        size = _size(code, scale)
        for i, (function, economic, project, share) in enumerate(CATALOG[kind]):
            project_code = f"{code}{year % 100:02d}{i:04d}" if project else ""
            rows.append(["一般公共预算", code, name, project_code, project, function, economic, _money(size * share)])
        if kind != "财政":
            for economic, _label, share in SANGONG_LINES:
                rows.append(["一般公共预算", code, name, "", "", CATALOG[kind][0][0], economic, _money(size * share)])
        if kind == "财政" and other_books and not finance_seen:
            finance_seen = True
            for j, (book, function, economic, project, amount) in enumerate(OTHER_BOOKS):
                rows.append([book, code, name, f"{code}{year % 100:02d}9{j:03d}", project, function, economic,
                             _money(amount * scale)])
    return rows


def execution_rows(units: Iterable[UnitLike], month: int, *, year: int = 2026, pace: float = 1.0,
                   scale: float = 1.0, paces: dict[str, float] | None = None, revenue: bool = True) -> list[list[Any]]:
    """One month's execution, in EXECUTION_COLUMNS order: each budget line spent at `pace` times an
    even twelfth (``paces`` by department code overrides it: 0.3 makes a laggard), paid by the
    treasury at 95%, and the month's revenue by code."""
    rows: list[list[Any]] = []
    total = Decimal(0)
    for line in budget_rows(units, year=year, scale=scale):
        book, code, name, project_code, _project, function, economic, amount = line
        p = (paces or {}).get(code, pace)
        spent = _money(float(amount) / 12 * p * (1.0 + 0.02 * ((month * 7 + len(project_code)) % 5 - 2)))
        paid = _money(spent * 95 / 100)
        rows.append([book, "支出", month, code, name, project_code, function, economic, spent, paid])
        total += spent
    if revenue:
        for book, code, share in REVENUE:
            rows.append([book, "收入", month, "", "", "", code, "", _money(float(total) * 1.05 * share), None])
    return rows


def _bytes(dataset: str, rows: Sequence[Sequence[Any]], fmt: str, *, title: str = "",
           total_row: Sequence[Any] | None = None) -> bytes:
    columns = LAYOUTS[dataset].columns
    rows = [list(r) for r in rows] + ([list(total_row)] if total_row else [])
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow([c.header for c in columns])
        for r in rows:
            w.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in r])
        return buf.getvalue().encode("utf-8-sig")
    # the bureau's export: text codes (leading zeros kept), amounts as numbers
    out = [[float(v) if isinstance(v, Decimal) else v for v in r] for r in rows]
    return write_sheet(title or f"{LAYOUTS[dataset].item}", columns, out)


def _total_row(dataset: str, rows: Sequence[Sequence[Any]], index: int, label_index: int,
               declared: Decimal | None) -> list[Any]:
    n = len(LAYOUTS[dataset].columns)
    row: list[Any] = [None] * n
    row[label_index] = "合计"
    row[index] = declared if declared is not None else sum((r[index] for r in rows), Decimal(0))
    return row


def budget_file(units: Iterable[UnitLike], *, year: int = 2026, fmt: str = "xlsx", scale: float = 1.0,
                total_row: bool = False, declared_total: Decimal | None = None,
                rows: list[list[Any]] | None = None) -> bytes:
    """The approved budget (批准的预算) by department, project, 功能 and 经济 code; with `total_row`
    a 合计 line at the bottom (`declared_total` makes it wrong on purpose)."""
    rows = rows if rows is not None else budget_rows(units, year=year, scale=scale)
    total = _total_row("budget", rows, 7, 2, declared_total) if total_row or declared_total is not None else None
    return _bytes("budget", rows, fmt, title=f"{year}年市级部门预算批复明细表", total_row=total)


def execution_file(units: Iterable[UnitLike], month: int, *, year: int = 2026, fmt: str = "xlsx", pace: float = 1.0,
                   scale: float = 1.0, paces: dict[str, float] | None = None,
                   rows: list[list[Any]] | None = None) -> bytes:
    """One month's execution (收入 and 支出 with 国库支付)."""
    rows = rows if rows is not None else execution_rows(units, month, year=year, pace=pace, scale=scale, paces=paces)
    return _bytes("execution", rows, fmt, title=f"{year}年{month}月预算执行情况表")


def adjustment_file(units: Iterable[UnitLike], *, year: int = 2026, fmt: str = "xlsx") -> bytes:
    rows = []
    for i, u in enumerate(units):
        code, name = _unit(u)
        function = CATALOG[_kind(name)][-1][0]
        rows.append(["预算调剂", dt.date(year, 6, 10 + i % 15), "一般公共预算", code, name, "", function,
                     _money(_size(code, 1) * 0.03), f"财预〔{year}〕{40 + i}号", "年中重点工作经费调剂"])
    return _bytes("adjustment", rows, fmt, title=f"{year}年预算调剂明细表")


def transfer_file(*, year: int = 2026, fmt: str = "xlsx", late_days: int = 75) -> bytes:
    """Transfers received from the province: one passed down on time, one late (`late_days`), one not yet."""
    rows = [["专项转移支付", f"财教〔{year}〕12号", "义务教育薄弱环节改善与能力提升补助资金", "城东区", _money(860),
             dt.date(year, 3, 2), dt.date(year, 3, 20)],
            ["一般性转移支付", f"财预〔{year}〕8号", "县级基本财力保障机制奖补资金", "城西区", _money(4200),
             dt.date(year, 2, 14), dt.date(year, 2, 14) + dt.timedelta(days=late_days)],
            ["专项转移支付", f"财社〔{year}〕31号", "困难群众救助补助资金", "开发区", _money(1350),
             dt.date(year, 5, 8), None]]
    return _bytes("transfer", rows, fmt, title=f"{year}年上级转移支付分配下达情况")


def debt_file(*, year: int = 2026, fmt: str = "xlsx") -> bytes:
    rows = [["本级", "一般债务", _money(1285000), _money(1400000), _money(96000), _money(1630000)],
            ["本级", "专项债务", _money(2460000), _money(2600000), _money(132000), _money(1630000)],
            ["城东区", "专项债务", _money(612000), _money(650000), _money(41000), _money(420000)],
            ["城西区", "专项债务", _money(398000), _money(430000), _money(22000), _money(265000)]]
    return _bytes("debt", rows, fmt, title=f"{year}年政府债务情况表")


def soe_file(*, year: int = 2026, fmt: str = "xlsx") -> bytes:
    figures = [("市城市建设投资集团有限公司", 3856000, 2412000, 286000, 18600, 3720),
               ("市交通投资集团有限公司", 1624000, 1105000, 132000, 6400, 1280),
               ("市水务集团有限公司", 682000, 391000, 98000, 5200, 1040)]
    rows = [[name, *(_money(x) for x in numbers)] for name, *numbers in figures]
    return _bytes("soe", rows, fmt, title=f"{year}年市属国有企业主要指标")


def audit_file(units: Iterable[UnitLike], *, year: int = 2026, fmt: str = "xlsx") -> bytes:
    """One finding per department, reported on 26 August the year before: done, partly, open in turn."""
    problems = [("资金管理", "专项资金滞留未及时拨付"), ("预算执行", "项目支出进度缓慢，资金闲置"),
                ("政府采购", "未按规定履行政府采购程序"), ("资产管理", "固定资产账实不符")]
    rows = []
    for i, u in enumerate(units):
        code, name = _unit(u)
        category, title = problems[i % len(problems)]
        status = ["已整改", "部分整改", "未整改"][i % 3]
        done_on = dt.date(year, 1, 20) if status == "已整改" else None
        rows.append([f"SJ{year - 1}-{i + 1:03d}", code, name, title, category, _money(80 + 37 * i),
                     dt.date(year - 1, 8, 26), status, done_on, "已制定整改方案，明确责任人和时限"])
    return _bytes("audit", rows, fmt, title=f"{year - 1}年度审计查出问题整改情况")


def disclosure_file(units: Iterable[UnitLike], *, year: int = 2026, fmt: str = "xlsx", late: int = 1) -> bytes:
    """Budgets approved on 10 February, published after 16 days, the first `late` departments after 35."""
    rows: list[list[Any]] = [["", "", "预算", dt.date(year, 1, 20), dt.date(year, 2, 5)]]
    for i, u in enumerate(units):
        code, name = _unit(u)
        rows.append([code, name, "预算", dt.date(year, 2, 10), dt.date(year, 2, 10) + dt.timedelta(days=35 if i < late
                                                                                                  else 16)])
    return _bytes("disclosure", rows, fmt, title=f"{year}年部门预算公开情况")


def many_units(n: int) -> list[tuple[str, str]]:
    """A city's departments beyond the test world's six: 2xxxxx codes, plausible names."""
    bureaus = ["发展和改革委员会", "工业和信息化局", "公安局", "司法局", "人力资源和社会保障局", "自然资源和规划局",
               "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电旅游局",
               "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "体育局", "退役军人事务局"]
    return [(f"2{i // len(bureaus):02d}{i % len(bureaus):03d}", f"市{bureaus[i % len(bureaus)]}"
             + (f"第{i // len(bureaus)}分局" if i >= len(bureaus) else "")) for i in range(n)]


def big_execution_csv(n_rows: int, units: Sequence[UnitLike], *, month: int = 3, year: int = 2026,
                      laggard_every: int = 10) -> bytes:
    """`n_rows` treasury payments (国库集中支付 voucher rows) of one month over the departments'
    budget lines from budget_rows(units): the benchmark loads this month alone, so it carries the
    spending to date (`month` twelfths of each line), split over the payments that fall on the
    line; every `laggard_every`-th department at a third of that pace, so the rule run finds what
    a real month would (a few departments and their projects behind)."""
    lines = budget_rows(units, year=year)
    per_line = -(-n_rows // len(lines))
    lagging = {_unit(u)[0] for k, u in enumerate(units) if k % laggard_every == laggard_every - 1}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c.header for c in LAYOUTS["execution"].columns])
    for i in range(n_rows):
        book, code, name, project_code, _project, function, economic, amount = lines[i % len(lines)]
        pace = Decimal("0.3") if code in lagging else Decimal(1)
        paid = _money(amount * pace * month / 12 / per_line)
        w.writerow([book, "支出", month, code, name, project_code, function, economic, paid, paid])
    return buf.getvalue().encode("utf-8")
