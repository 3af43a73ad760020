"""The case list with its filters, sorting and batch actions, and batch assignment."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from lvzhi.cases import filters, policy, selectors
from lvzhi.cases.engine import fire
from lvzhi.cases.handling.states import REGISTERED
from lvzhi.cases.kinds import all_kinds, all_state_choices, get_kind, kind_choices
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import ID_MAX, TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Organization, OrganizationKind, Role, Session, User
from lvzhi.deputies.models import Delegation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 30
# The batch actions that fire one transition on each selected case, with the words the result says.
FIRED_ACTIONS = {"urge": ("催办", "已催办"), "publish": ("公开", "已公开")}
RESULTS_KEY = "case_batch_results"  # the last batch's per-case results, shown once after redirect
NOTE_MAX = 500  # as the urge form (handling/urge.py)


@dataclass
class BatchResult:
    """One selected case's outcome, as the page lists it."""

    pk: int
    number: str
    title: str
    ok: bool
    reason: str


def _result(case: Case, ok: bool, reason: str) -> dict:
    return asdict(BatchResult(case.pk, case.number, case.title, ok, reason))


def _ids(values: list[str]) -> list[int]:
    return list(dict.fromkeys(int(v) for v in values if v.isascii() and v.isdigit() and 0 < int(v) <= ID_MAX))


def _batch_actions(user: User) -> dict[str, bool]:
    """What the list offers on a selection; the engine still decides for each case."""
    office = any(policy.is_office_of(user, k.code) for k in all_kinds())
    from lvzhi.suggestions.exports import may_export

    return {"assign": office and user.role == Role.CLERK, "urge": office, "publish": office,
            "export": may_export(user)}


# The list's columns, left to right, and the sort key each header sets (期限 and 截止 both sort
# by the earliest running clock; 提交 is shown on this list only).
COLUMNS = [("期限", "due"), ("案号", "number"), ("标题", "title"), ("提出人", "deputy"),
           ("承办单位", "unit"), ("状态", "state"), ("截止", "due"), ("提交", "submitted")]


def _sort_header(request: HttpRequest, current: str) -> list[dict[str, str]]:
    """Each column header's link: the same filters, that column, the other direction if it is
    the current one; back to page 1."""
    cells = []
    for label, key in COLUMNS:
        q = request.GET.copy()
        for name in ("page", "cursor"):  # a new order starts on its first page
            q.pop(name, None)
        q["sort"] = f"-{key}" if current == key else key
        arrow = "↑" if current == key else "↓" if current == f"-{key}" else ""
        aria = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        cells.append({"label": label, "url": "?" + q.urlencode(), "arrow": arrow, "aria": aria,
                      "title": f"按{filters.SORT_LABELS[key]}排序"})
    return cells


def _ledger_response(user: User, ids) -> HttpResponse:
    from lvzhi.suggestions import exports

    data = exports.build_ledger(user, {}, ids=ids)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, exports.ledger_filename())
    response["Cache-Control"] = "no-store"  # personal data: never cached by a proxy
    return response


@role_required(Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD,
               Role.DEPUTY)
def case_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _batch(request)
    f = filters.CaseFilters.from_querydict(request.GET)
    for note in f.ignored:  # say which filter was dropped rather than silently ignore it
        messages.warning(request, note)
    actions = _batch_actions(request.user)
    if request.GET.get("format") == "xlsx" and actions["export"]:  # 导出台账: what the list shows
        # the ids first, by the query the list itself runs: nested inside the ledger's own query
        # (its counts and joins) the search condition is left to the planner's luck
        ids = list(filters.narrowed_cases(request.user, f).values_list("pk", flat=True))
        return _ledger_response(request.user, ids)
    qs = filters.narrowed_cases(request.user, f)
    try:  # keyset pages: a deep page costs what the first does
        page = selectors.keyset_page(qs, f.sort, request.GET.get("cursor", ""), PAGE_SIZE)
    except selectors.InvalidCursor as exc:
        messages.warning(request, exc.message)
        page = selectors.keyset_page(qs, f.sort, "", PAGE_SIZE)
    query = request.GET.copy()
    for name in ("page", "cursor"):
        query.pop(name, None)
    export = query.copy()
    export["format"] = "xlsx"
    from lvzhi.suggestions.categories import CATEGORIES

    congress = request.user.congress_id
    return render(request, "cases/case_list.html", {
        "rows": selectors.decorate(list(page.object_list)), "page": page, "filters": f,
        "kinds": kind_choices(), "states": all_state_choices(), "categories": CATEGORIES,
        "query": query.urlencode(), "export_query": export.urlencode(),
        "units": Organization.objects.filter(congress_id=congress, kind=OrganizationKind.UNIT),
        "sessions": Session.objects.filter(term__congress_id=congress).select_related("term"),
        "delegations": Delegation.objects.filter(congress_id=congress),
        "sort_header": _sort_header(request, f.sort), "actions": actions,
        "sort_options": [(k, v) for k, v in filters.SORT_LABELS.items()],
        "selectable": any(actions.values()),
        "batch_results": request.session.pop(RESULTS_KEY, None),
    })


def _back(request: HttpRequest) -> HttpResponse:
    # Back to the list as it was: its filters, sorting and page travel in a hidden field.
    query = QueryDict(request.POST.get("back", ""), mutable=True)
    return redirect(reverse("cases:list") + ("?" + query.urlencode() if query else ""))


def _batch(request: HttpRequest) -> HttpResponse:
    user = request.user
    action = request.POST.get("action", "")
    actions = _batch_actions(user)
    ids = _ids(request.POST.getlist("ids"))
    if action not in actions or not actions[action]:
        messages.error(request, "您无权执行该批量操作。")
        return _back(request)
    if not ids:
        messages.warning(request, "未勾选任何案件。请先勾选案件，再选择批量操作。")
        return _back(request)
    if action == "assign":  # the batch-assign page, with these cases ticked
        return redirect(reverse("cases:batch_assign") + "?ids=" + ",".join(map(str, ids)))
    if action == "export":
        return _ledger_response(user, ids)
    note = request.POST.get("note", "").strip()
    if len(note) > NOTE_MAX:
        messages.error(request, f"催办意见最多{NOTE_MAX}字，当前{len(note)}字；未执行任何操作。")
        return _back(request)
    name = action
    label, done = FIRED_ACTIONS[name]
    cases = {c.pk: c for c in visible_cases(user).filter(pk__in=ids)}
    results = []
    for pk in ids:
        case = cases.get(pk)
        if case is None:
            results.append(asdict(BatchResult(pk, "", f"编号{pk}", False, "案件不存在或您无权查看")))
            continue
        if name not in get_kind(case.kind).workflow.transitions:
            results.append(_result(case, False, f"{case.kind_label}没有“{label}”操作"))
            continue
        try:
            fire(case, name, user, {"note": note} if name == "urge" else {})
            results.append(_result(case, True, done))
        except TransitionError as exc:
            results.append(_result(case, False, exc.message))
    _report(request, label, results)
    return _back(request)


def _report(request: HttpRequest, label: str, results: list[dict]) -> None:
    ok = sum(1 for r in results if r["ok"])
    failed = len(results) - ok
    text = f"批量{label}：成功{ok}件" + (f"，未成功{failed}件，原因见下表。" if failed else "。")
    (messages.success if not failed else messages.warning)(request, text)
    request.session[RESULTS_KEY] = {"label": label, "rows": results}


@role_required(Role.CLERK)
def batch_assign(request: HttpRequest) -> HttpResponse:
    """After a session: assign many registered cases at once, each through the engine."""
    # Kinds this user is the office of whose cases go to handling units (the page offers units).
    office_kinds = [k.code for k in all_kinds() if policy.is_office_of(request.user, k.code)
                    and "assign" in k.workflow.transitions and k.handling is not None
                    and tuple(k.handling.unit_kinds) == (OrganizationKind.UNIT,)]
    chosen = _ids((request.GET.get("ids") or "").split(","))
    base = selectors.with_list_relations(
        visible_cases(request.user).filter(kind__in=office_kinds, state=REGISTERED)).order_by("number")
    # the cases ticked on the list come first, whatever their number, then the others
    cases = list(base.filter(pk__in=chosen)) + list(base.exclude(pk__in=chosen)[:50])
    units = list(Organization.objects.filter(congress_id=request.user.congress_id,
                                             kind=OrganizationKind.UNIT, is_active=True))
    by_field: dict[str, Organization] = {}
    for u in units:
        by_field.setdefault(u.field, u)
    if request.method == "POST":
        results: list[dict] = []
        for case in cases:
            if not request.POST.get(f"pick_{case.pk}"):
                continue
            lead = request.POST.get(f"lead_{case.pk}")
            if not lead:
                results.append(_result(case, False, "未选择主办单位"))
                continue
            data = {"mode": "lead", "lead": lead, "co": request.POST.getlist(f"co_{case.pk}")}
            try:
                fire(case, "assign", request.user, data)
                results.append(_result(case, True, "已交办"))
            except TransitionError as exc:
                results.append(_result(case, False, exc.message))
        if not results:
            messages.warning(request, "未选择任何案件。请勾选案件并选择主办单位。")
            return redirect("cases:batch_assign")
        _report(request, "交办", results)
        failed = [str(r["pk"]) for r in results if not r["ok"]]
        # the ones that failed stay ticked, so the clerk fixes them and submits again
        return redirect(reverse("cases:batch_assign") + ("?ids=" + ",".join(failed) if failed else ""))
    from lvzhi.assist.services import suggested_leads  # 智能交办; falls back to the field guess

    smart = suggested_leads(cases)
    rows = [(c, smart.get(c.pk) or by_field.get(c.category), c.pk in chosen) for c in cases]
    return render(request, "cases/batch_assign.html", {
        "rows": rows, "units": units, "batch_results": request.session.pop(RESULTS_KEY, None)})
