"""What each file from the finance bureau, the audit office and the 国资委 looks like: its columns
(the Chinese headers the bureaus' systems export), how a row becomes a record, and how a record
is checked against the 政府收支分类科目 and the known departments.

A record is a plain dict keyed by the fact model's field names, holding JSON values (Decimal as
text, dates ISO, a department as its code under "unit"), so the same record comes from a file
row and from a stored fact (`Layout.fields` through `.values()`), and the digest and the
difference against the current revision are computed the same way from both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models as dj

from lvzhi.budget import codes
from lvzhi.budget.models import (
    Adjustment,
    AdjustmentKind,
    AuditFinding,
    Book,
    BudgetLine,
    Dataset,
    Debt,
    DebtKind,
    Disclosure,
    DisclosureDocument,
    ExecutionLine,
    Flow,
    Rectification,
    SoeFigure,
    Transfer,
    TransferKind,
)
from lvzhi.documents.excel import CellError, Column, cell_text, choice, date

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999999999.99")  # AMOUNT: 16 digits, 2 after the point
TOTAL_WORDS = {"合计", "总计", "总合计"}


def amount(value: Any) -> Decimal:
    """12.5, '1,234.50', '１２３' → Decimal in 万元 to the cent; text is a row error."""
    if isinstance(value, bool):
        raise CellError(f"应为数字，不能填“{cell_text(value)}”")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raw = cell_text(value)
        normal = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", normal):
            raise CellError(f"应为数字（万元），不能填“{raw}”")
        number = Decimal(normal)
    try:
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise CellError(f"数值“{cell_text(value)}”过大") from None
    if abs(number) > MAX_AMOUNT:
        raise CellError(f"数值“{cell_text(value)}”过大")
    return number


def code_text(value: Any) -> str:
    """A code as typed: 2050202 typed as a number stays 2050202; full-width digits normalised."""
    return unicodedata.normalize("NFKC", cell_text(value)).replace(" ", "")


BOOKS = {"一般公共预算": Book.GENERAL, "一般预算": Book.GENERAL, "政府性基金预算": Book.FUND,
         "政府性基金": Book.FUND, "基金预算": Book.FUND, "国有资本经营预算": Book.SOE, "国资预算": Book.SOE,
         "社会保险基金预算": Book.SOCIAL, "社保基金预算": Book.SOCIAL}
FLOWS = {"收入": Flow.REVENUE, "支出": Flow.EXPENDITURE}


@dataclass
class Context:
    """What the checks look up, loaded once per file: no query per row."""

    units: dict[str, str]  # code → name, the congress's departments
    creates_units: bool = False  # the budget file brings new departments
    new_units: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (name, first row)
    month: int = 0


Check = Callable[[dict[str, Any], Context], tuple[dict[str, Any], list[str]]]


@dataclass(frozen=True)
class Layout:
    dataset: str
    item: str  # what a row is, in messages: 预算明细
    model: type[dj.Model]
    columns: list[Column]
    fields: list[str]  # the record's keys = the model's fields ("unit" holds the code)
    check: Check
    amount_field: str | None  # summed into BudgetImport.total and checked against a 合计 row
    key: Callable[[dict[str, Any]], str]  # what the difference is grouped by (部门 / 科目)
    measures: tuple[tuple[str, str], ...]  # (field, label) compared in the difference
    label_columns: tuple[str, ...] = ()  # where a 合计 row says 合计
    sample: tuple[Any, ...] = ()  # the template's example row

    @property
    def has_book(self) -> bool:
        return "book" in self.fields


def _unit(v: dict[str, Any], ctx: Context, errors: list[str], *, required: bool = True,
          row: int = 0) -> str:
    code = code_text(v.get("unit_code"))
    if not code:
        if required:
            errors.append("缺少部门编码")
        return ""
    if code in ctx.units:
        return code
    name = cell_text(v.get("unit_name"))
    if ctx.creates_units:
        if not name:
            errors.append(f"部门编码“{code}”是新部门，须填写部门名称")
        elif code in ctx.new_units and ctx.new_units[code][0] != name:
            first_name, first_row = ctx.new_units[code]
            errors.append(f"部门编码“{code}”的部门名称为“{name}”，与第{first_row}行的“{first_name}”不一致")
        else:
            ctx.new_units.setdefault(code, (name, row))
        return code
    errors.append(f"部门编码“{code}”{('（' + name + '）') if name else ''}不在已导入的预算部门中，请先导入批准的预算")
    return code


def _code(kind: str, header: str, value: Any, errors: list[str], *, required: bool = True) -> str:
    code = code_text(value)
    if not code:
        if required:
            errors.append(f"缺少{header}")
        return ""
    if not codes.is_valid(kind, code):
        errors.append(f"{header}“{code}”不在政府收支分类科目中")
    return code


def _money(v: Any) -> str | None:
    return None if v is None else str(v)


def _day(v: Any) -> str | None:
    return v.isoformat() if v else None


def _required(v: dict[str, Any], errors: list[str], *pairs: tuple[str, str]) -> None:
    failed = v.get("_failed", ())  # a cell that did not parse already has its error
    for key, header in pairs:
        if v.get(key) in (None, "") and key not in failed:
            errors.append(f"缺少{header}")


# ------------------------------------------------------------------------- the layouts

def _check_budget(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("book", "预算"), ("amount", "预算数（万元）"))
    unit = _unit(v, ctx, errors, row=v["_row"])
    function = _code(codes.FUNCTION, "功能分类科目编码", v.get("function_code"), errors)
    economic = _code(codes.ECONOMIC, "经济分类科目编码", v.get("economic_code"), errors, required=False)
    project = code_text(v.get("project_code"))
    name = cell_text(v.get("project_name"))
    if project and not name:
        errors.append(f"项目编码“{project}”缺少项目名称")
    return {"book": v.get("book"), "unit": unit, "project_code": project, "project_name": name,
            "function_code": function, "economic_code": economic, "amount": _money(v.get("amount"))}, errors


BUDGET_COLUMNS = [
    Column("预算", key="book", aliases=("预算类别", "账别", "四本预算"), required=True, parse=choice(BOOKS), width=16),
    Column("部门编码", key="unit_code", aliases=("单位编码", "预算单位编码"), required=True, parse=code_text),
    Column("部门名称", key="unit_name", aliases=("单位名称", "预算单位名称", "预算单位")),
    Column("项目编码", key="project_code", aliases=("项目代码",), parse=code_text, width=18),
    Column("项目名称", key="project_name", width=30),
    Column("功能分类科目编码", key="function_code", aliases=("功能科目编码", "支出功能分类科目编码", "功能分类科目"),
           required=True, parse=code_text),
    Column("经济分类科目编码", key="economic_code", aliases=("经济科目编码", "部门经济分类科目编码", "经济分类科目"),
           parse=code_text),
    Column("预算数（万元）", key="amount", aliases=("预算数", "金额", "预算金额"), required=True, parse=amount,
           number_format="#,##0.00"),
]


def _check_execution(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("book", "预算"), ("flow", "收支"), ("amount", "本月数（万元）"))
    month = v.get("month")
    if month is not None and month != ctx.month:
        errors.append(f"月份为{month}，与本次导入的{ctx.month}月不一致")
    flow = v.get("flow")
    revenue = flow == Flow.REVENUE
    unit = _unit(v, ctx, errors, required=not revenue, row=v["_row"])
    code = _code(codes.REVENUE if revenue else codes.FUNCTION,
                 "收入分类科目编码" if revenue else "功能分类科目编码", v.get("code"), errors)
    economic = _code(codes.ECONOMIC, "经济分类科目编码", v.get("economic_code"), errors, required=False)
    if revenue and v.get("paid") is not None:
        errors.append("收入行不填本月国库支付")
    return {"month": ctx.month, "book": v.get("book"), "flow": flow, "unit": unit or None,
            "project_code": code_text(v.get("project_code")), "code": code, "economic_code": economic,
            "amount": _money(v.get("amount")), "paid": _money(v.get("paid"))}, errors


def _month(value: Any) -> int:
    text = unicodedata.normalize("NFKC", cell_text(value)).removesuffix("月")
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise CellError(f"应为1至12，不能填“{cell_text(value)}”")
    return int(text)


EXECUTION_COLUMNS = [
    Column("预算", key="book", aliases=("预算类别", "账别"), required=True, parse=choice(BOOKS), width=16),
    Column("收支", key="flow", aliases=("收支类别", "类别"), required=True, parse=choice(FLOWS)),
    Column("月份", key="month", parse=_month),
    Column("部门编码", key="unit_code", aliases=("单位编码", "预算单位编码"), parse=code_text),
    Column("部门名称", key="unit_name", aliases=("单位名称", "预算单位名称")),
    Column("项目编码", key="project_code", aliases=("项目代码",), parse=code_text, width=18),
    Column("科目编码", key="code", aliases=("功能或收入科目编码", "功能分类科目编码", "收入分类科目编码", "科目"),
           required=True, parse=code_text),
    Column("经济分类科目编码", key="economic_code", aliases=("经济科目编码", "经济分类科目"), parse=code_text),
    Column("本月数（万元）", key="amount", aliases=("本月数", "本月执行数", "金额"), required=True, parse=amount,
           number_format="#,##0.00"),
    Column("本月国库支付（万元）", key="paid", aliases=("本月国库支付", "国库支付数", "本月支付数"), parse=amount,
           number_format="#,##0.00"),
]

ADJUSTMENT_KINDS = {label: value for value, label in AdjustmentKind.choices} | {"调整": AdjustmentKind.ADJUST,
                                                                               "调剂": AdjustmentKind.SHIFT}


def _check_adjustment(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("kind", "类型"), ("on", "日期"), ("amount", "金额（万元）"))
    unit = _unit(v, ctx, errors, row=v["_row"])
    function = _code(codes.FUNCTION, "功能分类科目编码", v.get("function_code"), errors)
    return {"kind": v.get("kind"), "on": _day(v.get("on")), "book": v.get("book") or Book.GENERAL, "unit": unit,
            "project_code": code_text(v.get("project_code")), "function_code": function,
            "amount": _money(v.get("amount")), "document": cell_text(v.get("document"))[:60],
            "reason": cell_text(v.get("reason"))[:300]}, errors


ADJUSTMENT_COLUMNS = [
    Column("类型", key="kind", aliases=("调整类型",), required=True, parse=choice(ADJUSTMENT_KINDS)),
    Column("日期", key="on", aliases=("批复日期", "调剂日期"), required=True, parse=date),
    Column("预算", key="book", aliases=("预算类别",), parse=choice(BOOKS), width=16),
    Column("部门编码", key="unit_code", aliases=("单位编码",), required=True, parse=code_text),
    Column("部门名称", key="unit_name", aliases=("单位名称",)),
    Column("项目编码", key="project_code", parse=code_text, width=18),
    Column("功能分类科目编码", key="function_code", aliases=("功能科目编码",), required=True, parse=code_text),
    Column("金额（万元）", key="amount", aliases=("金额", "调整金额", "调剂金额"), required=True, parse=amount,
           number_format="#,##0.00"),
    Column("文号", key="document", aliases=("批复文号",)),
    Column("事由", key="reason", aliases=("调整事由", "原因"), width=40),
]

TRANSFER_KINDS = {label: value for value, label in TransferKind.choices} | {"一般性": TransferKind.GENERAL,
                                                                           "专项": TransferKind.SPECIAL}


def _check_transfer(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("kind", "类型"), ("title", "项目"), ("recipient", "下达对象"), ("amount", "金额（万元）"),
              ("received_on", "收到日期"))
    if v.get("received_on") and v.get("passed_on") and v["passed_on"] < v["received_on"]:
        errors.append("下达日期早于收到日期")
    return {"kind": v.get("kind"), "document": cell_text(v.get("document"))[:60],
            "title": cell_text(v.get("title"))[:200], "recipient": cell_text(v.get("recipient"))[:100],
            "amount": _money(v.get("amount")), "received_on": _day(v.get("received_on")),
            "passed_on": _day(v.get("passed_on"))}, errors


TRANSFER_COLUMNS = [
    Column("类型", key="kind", aliases=("转移支付类型",), required=True, parse=choice(TRANSFER_KINDS), width=16),
    Column("文号", key="document", aliases=("指标文号",), width=20),
    Column("项目", key="title", aliases=("项目名称",), required=True, width=30),
    Column("下达对象", key="recipient", aliases=("下达单位", "分配对象"), required=True, width=20),
    Column("金额（万元）", key="amount", aliases=("金额",), required=True, parse=amount, number_format="#,##0.00"),
    Column("收到日期", key="received_on", aliases=("上级下达日期", "收到上级日期"), required=True, parse=date),
    Column("下达日期", key="passed_on", aliases=("本级下达日期", "分解下达日期"), parse=date),
]

DEBT_KINDS = {label: value for value, label in DebtKind.choices} | {"一般": DebtKind.GENERAL, "专项": DebtKind.SPECIAL}


def _check_debt(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("region", "地区"), ("kind", "类型"), ("balance", "债务余额（万元）"),
              ("limit", "债务限额（万元）"), ("due", "当年到期（万元）"), ("capacity", "综合财力（万元）"))
    return {"region": cell_text(v.get("region"))[:60], "kind": v.get("kind"), "balance": _money(v.get("balance")),
            "limit": _money(v.get("limit")), "due": _money(v.get("due")),
            "capacity": _money(v.get("capacity"))}, errors


DEBT_COLUMNS = [
    Column("地区", key="region", aliases=("地区名称",), required=True),
    Column("类型", key="kind", aliases=("债务类型",), required=True, parse=choice(DEBT_KINDS)),
    Column("债务余额（万元）", key="balance", aliases=("债务余额", "余额"), required=True, parse=amount),
    Column("债务限额（万元）", key="limit", aliases=("债务限额", "限额"), required=True, parse=amount),
    Column("当年到期（万元）", key="due", aliases=("当年到期", "到期"), required=True, parse=amount),
    Column("综合财力（万元）", key="capacity", aliases=("综合财力",), required=True, parse=amount),
]


def _check_soe(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    numbers = [(k, c.header) for c in SOE_COLUMNS[1:] for k in [c.name]]
    _required(v, errors, ("enterprise", "企业名称"), *numbers)
    return {"enterprise": cell_text(v.get("enterprise"))[:100],
            **{k: _money(v.get(k)) for k, _ in numbers}}, errors


SOE_COLUMNS = [
    Column("企业名称", key="enterprise", aliases=("企业",), required=True, width=30),
    Column("资产总额（万元）", key="assets", aliases=("资产总额",), required=True, parse=amount),
    Column("负债总额（万元）", key="liabilities", aliases=("负债总额",), required=True, parse=amount),
    Column("营业收入（万元）", key="revenue", aliases=("营业收入", "营业总收入"), required=True, parse=amount),
    Column("利润总额（万元）", key="profit", aliases=("利润总额",), required=True, parse=amount),
    Column("国有资本收益上缴（万元）", key="dividend", aliases=("国有资本收益上缴", "上缴国有资本收益"),
           required=True, parse=amount),
]

RECTIFICATIONS = {label: value for value, label in Rectification.choices}


def _check_audit(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("number", "问题编号"), ("title", "问题"), ("reported_on", "审计工作报告日期"),
              ("status", "整改情况"))
    unit = _unit(v, ctx, errors, row=v["_row"])
    if v.get("status") == Rectification.DONE and not v.get("rectified_on"):
        errors.append("整改情况为已整改，须填写整改完成日期")
    return {"number": cell_text(v.get("number"))[:40], "unit": unit, "title": cell_text(v.get("title"))[:300],
            "category": cell_text(v.get("category"))[:40], "amount": _money(v.get("amount")),
            "reported_on": _day(v.get("reported_on")), "status": v.get("status"),
            "rectified_on": _day(v.get("rectified_on")), "measures": cell_text(v.get("measures"))}, errors


AUDIT_COLUMNS = [
    Column("问题编号", key="number", aliases=("编号",), required=True),
    Column("部门编码", key="unit_code", aliases=("单位编码", "被审计单位编码"), required=True, parse=code_text),
    Column("部门名称", key="unit_name", aliases=("单位名称", "被审计单位")),
    Column("问题", key="title", aliases=("审计查出问题", "问题描述"), required=True, width=40, wrap=True),
    Column("问题类别", key="category", aliases=("类别",)),
    Column("涉及金额（万元）", key="amount", aliases=("涉及金额", "问题金额"), parse=amount),
    Column("审计工作报告日期", key="reported_on", aliases=("报告日期", "审计报告日期"), required=True, parse=date),
    Column("整改情况", key="status", aliases=("整改状态",), required=True, parse=choice(RECTIFICATIONS)),
    Column("整改完成日期", key="rectified_on", aliases=("完成日期",), parse=date),
    Column("整改措施", key="measures", aliases=("整改措施及成效",), width=40, wrap=True),
]

DOCUMENTS = {label: value for value, label in DisclosureDocument.choices} | {"部门预算": DisclosureDocument.BUDGET,
                                                                            "部门决算": DisclosureDocument.FINAL}


def _check_disclosure(v: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    _required(v, errors, ("document", "公开内容"), ("approved_on", "批准或批复日期"))
    unit = _unit(v, ctx, errors, required=False, row=v["_row"])
    if v.get("approved_on") and v.get("published_on") and v["published_on"] < v["approved_on"]:
        errors.append("公开日期早于批准或批复日期")
    return {"unit": unit or None, "document": v.get("document"), "approved_on": _day(v.get("approved_on")),
            "published_on": _day(v.get("published_on"))}, errors


DISCLOSURE_COLUMNS = [
    Column("部门编码", key="unit_code", aliases=("单位编码",), parse=code_text),
    Column("部门名称", key="unit_name", aliases=("单位名称",)),
    Column("公开内容", key="document", aliases=("公开类别",), required=True, parse=choice(DOCUMENTS)),
    Column("批准或批复日期", key="approved_on", aliases=("批准日期", "批复日期"), required=True, parse=date),
    Column("公开日期", key="published_on", aliases=("公开时间",), parse=date),
]


def _unit_key(r: dict[str, Any]) -> str:
    return r.get("unit") or "本级"


LAYOUTS: dict[str, Layout] = {}
for _dataset, _layout in [
    (Dataset.BUDGET, Layout(Dataset.BUDGET, "预算明细", BudgetLine, BUDGET_COLUMNS,
                            ["book", "unit", "project_code", "project_name", "function_code", "economic_code",
                             "amount"], _check_budget, "amount", lambda r: f"{r['unit']}|{r['function_code']}",
                            (("amount", "预算数"),), ("unit_code", "unit_name"),
                            ("一般公共预算", "105001", "市教育局", "105001260001", "义务教育学校公用经费补助",
                             "2050202", "30227", 1250.00))),
    (Dataset.EXECUTION, Layout(Dataset.EXECUTION, "执行数据", ExecutionLine, EXECUTION_COLUMNS,
                               ["month", "book", "flow", "unit", "project_code", "code", "economic_code", "amount",
                                "paid"], _check_execution, "amount",
                               lambda r: f"{r['flow']}|{r['unit'] or ''}|{r['code']}",
                               (("amount", "本月数"), ("paid", "本月国库支付")), ("unit_code", "unit_name"),
                               ("一般公共预算", "支出", 3, "105001", "市教育局", "105001260001", "2050202", "30227",
                                104.17, 98.50))),
    (Dataset.ADJUSTMENT, Layout(Dataset.ADJUSTMENT, "调整调剂", Adjustment, ADJUSTMENT_COLUMNS,
                                ["kind", "on", "book", "unit", "project_code", "function_code", "amount", "document",
                                 "reason"], _check_adjustment, "amount", lambda r: f"{r['unit']}|{r['function_code']}",
                                (("amount", "金额"),), ("unit_code", "unit_name"),
                                ("预算调剂", "2026-06-15", "一般公共预算", "108001", "市民政局", "", "2081002", 200.00,
                                 "财预〔2026〕58号", "养老服务设施运营补贴缺口"))),
    (Dataset.TRANSFER, Layout(Dataset.TRANSFER, "转移支付", Transfer, TRANSFER_COLUMNS,
                              ["kind", "document", "title", "recipient", "amount", "received_on", "passed_on"],
                              _check_transfer, "amount", lambda r: f"{r['title']}|{r['recipient']}",
                              (("amount", "金额"),), ("title", "document"),
                              ("专项转移支付", "财教〔2026〕12号", "义务教育薄弱环节改善与能力提升补助资金", "城东区",
                               860.00, "2026-03-02", "2026-03-20"))),
    (Dataset.DEBT, Layout(Dataset.DEBT, "债务数据", Debt, DEBT_COLUMNS,
                          ["region", "kind", "balance", "limit", "due", "capacity"], _check_debt, "balance",
                          lambda r: f"{r['region']}|{r['kind']}",
                          (("balance", "债务余额"), ("limit", "债务限额"), ("due", "当年到期"),
                           ("capacity", "综合财力")),
                          ("region",), ("本级", "一般债务", 1285000.00, 1400000.00, 96000.00, 1630000.00))),
    (Dataset.SOE, Layout(Dataset.SOE, "企业指标", SoeFigure, SOE_COLUMNS,
                         ["enterprise", "assets", "liabilities", "revenue", "profit", "dividend"], _check_soe, "assets",
                         lambda r: r["enterprise"],
                         (("assets", "资产总额"), ("liabilities", "负债总额"), ("revenue", "营业收入"),
                          ("profit", "利润总额"), ("dividend", "国有资本收益上缴")), ("enterprise",),
                         ("市城市建设投资集团有限公司", 3856000.00, 2412000.00, 286000.00, 18600.00, 3720.00))),
    (Dataset.AUDIT, Layout(Dataset.AUDIT, "审计问题", AuditFinding, AUDIT_COLUMNS,
                           ["number", "unit", "title", "category", "amount", "reported_on", "status", "rectified_on",
                            "measures"], _check_audit, "amount", lambda r: r["number"],
                           (("amount", "涉及金额"), ("status", "整改情况"), ("rectified_on", "整改完成日期")),
                           ("number", "unit_code", "unit_name"),
                           ("SJ2026-001", "105001", "市教育局", "学生资助资金滞留未及时发放", "资金管理", 312.40,
                            "2026-08-26", "部分整改", "", "已发放238.6万元，余款于年底前发放"))),
    (Dataset.DISCLOSURE, Layout(Dataset.DISCLOSURE, "公开情况", Disclosure, DISCLOSURE_COLUMNS,
                                ["unit", "document", "approved_on", "published_on"], _check_disclosure, None,
                                lambda r: f"{_unit_key(r)}|{r['document']}",
                                (("approved_on", "批准或批复日期"), ("published_on", "公开日期")),
                                ("unit_code", "unit_name"),
                                ("105001", "市教育局", "预算", "2026-02-10", "2026-02-26"))),
]:
    LAYOUTS[_dataset] = _layout
# the draft budget (预算草案) is laid out as the approved one
LAYOUTS[Dataset.DRAFT] = Layout(**{**LAYOUTS[Dataset.BUDGET].__dict__, "dataset": Dataset.DRAFT})


def layout(dataset: str) -> Layout:
    return LAYOUTS[dataset]
