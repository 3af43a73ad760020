"""The handling ledger (办理台账) as Excel: one row per case, the clerk's and units' paper record.

Rows come from `visible_cases`, so a unit exports only the cases assigned to it. The queries
are a fixed handful (one for the cases, one prefetch per related table) whatever the size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.kinds import all_kinds
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Case,
    CosignState,
    Deadline,
    Evaluation,
    Reply,
    ReplyState,
)
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import Organization, OrganizationKind, Session, User
from lvzhi.documents import excel
from lvzhi.suggestions import permissions
from lvzhi.suggestions.categories import CATEGORIES
from lvzhi.suggestions.states import SUGGESTION_STATES, SuggestionState

COLUMNS: list[tuple[str, int]] = [
    ("案号", 30), ("标题", 40), ("领衔代表", 12), ("附议人数", 9), ("类别", 12), ("状态", 13),
    ("主办单位", 24), ("会办单位", 28), ("交办日期", 12), ("答复期限", 12), ("期限状态", 10),
    ("答复分类", 9), ("答复日期", 12), ("代表评价", 13), ("是否重点", 9), ("是否公开", 9),
]
WRAPPED = {"标题", "主办单位", "会办单位"}
LEDGER_COLUMNS = [
    excel.Column(name, width=width, wrap=name in WRAPPED,
                 number_format=excel.DATE_FORMAT if name.endswith("日期") or name == "答复期限"
                 else None)
    for name, width in COLUMNS
]
STATUS_COLUMN = "期限状态"  # set in bold on a coloured row
REPLY_CLOCKS = [DeadlineKind.REPLY, DeadlineKind.REHANDLE]
FILLS = {
    deadlines.Light.RED: excel.fill("F8CBAD"),
    deadlines.Light.YELLOW: excel.fill("FFE699"),
}
TITLE_BY_KIND = {"suggestion": "代表建议办理台账", "motion": "代表议案办理台账"}


def may_export(user: User) -> bool:
    return permissions.may_export(user)


class LedgerFilter(forms.Form):
    """The ledger's query parameters; an unknown value is a clear 400, never a silent ignore."""

    kind = forms.ChoiceField(label="类型", required=False)
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部")] + [(x.code, x.label) for x in SUGGESTION_STATES])
    session = forms.ModelChoiceField(label="会议", required=False, queryset=Session.objects.none(),
                                     error_messages={"invalid_choice": "所选会议不存在"})
    unit = forms.ModelChoiceField(label="承办单位", required=False,
                                  queryset=Organization.objects.none(),
                                  error_messages={"invalid_choice": "所选承办单位不存在"})
    # the case list's own filters, so "导出台账" there exports exactly what the list shows
    category = forms.ChoiceField(label="类别", required=False,
                                 choices=[("", "全部")] + [(c, c) for c in CATEGORIES])
    q = forms.CharField(label="关键词", required=False, max_length=100)
    key = forms.CharField(label="只看重点建议", required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部")] + [(k.code, k.label) for k in all_kinds()]
        self.fields["session"].queryset = Session.objects.filter(
            term__congress_id=user.congress_id)
        self.fields["unit"].queryset = Organization.objects.filter(
            congress_id=user.congress_id, kind=OrganizationKind.UNIT)


@dataclass
class LedgerRow:
    case: Case
    values: list
    light: deadlines.Light | None


def ledger_cases(user: User, params: dict) -> tuple[QuerySet[Case], dict]:
    if not may_export(user):
        raise NotAllowed("您无权导出办理台账")
    form = LedgerFilter(params, user=user)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        raise InvalidInput("筛选条件有误：" + next(iter(errors.values()))[0], errors)
    f = form.cleaned_data
    qs = visible_cases(user).exclude(state=SuggestionState.DRAFT)
    if f["kind"]:
        qs = qs.filter(kind=f["kind"])
    if f["state"]:
        qs = qs.filter(state=f["state"])
    if f["session"]:
        qs = qs.filter(session=f["session"])
    if f["category"]:
        qs = qs.filter(category=f["category"])
    if f["q"].strip():
        qs = qs.filter(Q(title__icontains=f["q"].strip()) | Q(number__icontains=f["q"].strip()))
    if f["key"] in {"1", "true", "on"}:
        qs = qs.filter(is_key=True)
    if f["unit"]:
        qs = qs.filter(pk__in=Assignment.objects.filter(unit=f["unit"]).exclude(
            state=AssignmentState.WITHDRAWN).values("case_id"))
    qs = (qs.select_related("lead_deputy", "submitter")
          .annotate(cosigner_count=Count("cosigns", filter=Q(cosigns__state=CosignState.CONFIRMED),
                                         distinct=True))
          .prefetch_related(
              Prefetch("assignments", queryset=Assignment.objects.exclude(
                  state=AssignmentState.WITHDRAWN).select_related("unit").order_by("id")),
              Prefetch("deadlines", queryset=Deadline.objects.filter(
                  kind__in=REPLY_CLOCKS, cancelled=False).order_by("due_on")),
              Prefetch("replies", queryset=Reply.objects.filter(
                  state=ReplyState.ACCEPTED).order_by("round", "id")),
              Prefetch("evaluations", queryset=Evaluation.objects.order_by("round")),
          )
          .order_by("session_id", "number", "id"))
    return qs, f


def _date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _row(case: Case, today: dt.date, warn_days: int) -> LedgerRow:
    active = list(case.assignments.all())
    answering = [a for a in active if a.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT)]
    co = [a for a in active if a.role == AssignmentRole.CO]
    clocks = [d for d in case.deadlines.all() if d.assignment_id in {a.pk for a in answering}]
    open_clocks = [d for d in clocks if d.is_open]
    light: deadlines.Light | None = None
    due: dt.date | None = None
    if open_clocks:  # the earliest open clock decides: one late unit makes the case late
        due = open_clocks[0].due_on
        light = deadlines.light(open_clocks[0], today, warn_days)
    elif clocks:
        due, light = clocks[-1].due_on, deadlines.Light.DONE
    replies = list(case.replies.all())
    last_reply = replies[-1] if replies else None
    evaluations = list(case.evaluations.all())
    verdict = ""
    if evaluations:
        ev = evaluations[-1]
        verdict = ev.get_verdict_display() if ev.verdict else ("逾期视为认可" if ev.expired else "")
    lead_label = "、".join(a.unit.name + ("（分办）" if a.role == AssignmentRole.SPLIT else "")
                           for a in answering)
    values = [
        case.number or "（未立案）",
        case.title,
        case.lead_deputy.name if case.lead_deputy else (case.submitter.name if case.submitter_id
                                                        else ""),
        case.cosigner_count,
        case.category,
        case.get_state_display(),
        lead_label,
        "、".join(a.unit.name for a in co),
        min((a.assigned_on for a in active), default=None),
        due,
        deadlines.LIGHT_LABELS[light] if light else "",
        last_reply.reply_class if last_reply else "",
        _date(last_reply.reviewed_at or last_reply.signed_at) if last_reply else None,
        verdict,
        "是" if case.is_key else "否",
        "是" if case.is_public else "否",
    ]
    return LedgerRow(case, values, light)


def ledger_title(user: User, kinds: set[str], today: dt.date) -> str:
    """'北辰市人大常委会 代表建议办理台账（2026年11月22日导出）': named after what it holds."""
    kind = next(iter(kinds)) if len(kinds) == 1 else ""
    congress = user.congress
    body = f"{congress.short_name}常委会" if congress else "人大常委会"
    return f"{body} {TITLE_BY_KIND.get(kind, '议案建议办理台账')}（{today.year}年{today.month}月{today.day}日导出）"


def build_ledger(user: User, params: dict, *, today: dt.date | None = None,
                 ids: list[int] | QuerySet | None = None) -> bytes:
    """The ledger workbook for what `user` may see, filtered by `params` (and to `ids`: the
    case list's selection or its filtered rows)."""
    qs, f = ledger_cases(user, params)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    today = today or timezone.localdate()
    warn_days = deadlines.rules_for(user.congress_id).warn_days if user.congress_id else 15
    rows = [_row(c, today, warn_days) for c in qs]

    kinds = {f["kind"]} if f["kind"] else {r.case.kind for r in rows}
    wb = excel.Workbook()
    # the header row and 案号/标题 stay while scrolling
    sheet = wb.sheet("办理台账", LEDGER_COLUMNS, title=ledger_title(user, kinds, today),
                     freeze_columns=2)
    for row in rows:
        fill = FILLS.get(row.light)
        sheet.row(row.values, fill=fill, bold=[STATUS_COLUMN] if fill is not None else [])
    sheet.note(f"共{len(rows)}件；超期{sum(r.light == deadlines.Light.RED for r in rows)}件，"
               f"临期{sum(r.light == deadlines.Light.YELLOW for r in rows)}件。"
               f"制表：{user.name}")
    return wb.to_bytes()


def ledger_filename(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"办理台账_{today:%Y%m%d}.xlsx"
