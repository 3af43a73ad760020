"""The key task pages: the board (by state, the overdue first), the office's new task, the
batch page for the 主任会议's approval, the dispatch page, the Excel import and export.
Thin: parse, call the engine or a service, render. The task itself is the generic case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from lvzhi.cases import deadlines, selectors
from lvzhi.cases.engine import Busy, fire, open_case
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import InvalidInput, NotAllowed, TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import ids_param, int_param
from lvzhi.core.workdays import WorkCalendar
from lvzhi.keytasks import exports, importing, services
from lvzhi.keytasks.forms import DispatchStartForm, ImportForm, KeyTaskForm
from lvzhi.keytasks.models import Dispatch, ProgressReport
from lvzhi.keytasks.permissions import KIND, is_leader, is_office, may_export, may_manage
from lvzhi.keytasks.states import DRAFTING, HANDLING, PENDING, REPLIED

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _office_only(request: HttpRequest) -> None:
    if not may_manage(request.user):
        raise PermissionDenied("只有办公室工作人员可以使用该页面")


def _years(request: HttpRequest) -> list[int]:
    return sorted(set(services.key_tasks(request.user).values_list("key_task_detail__year", flat=True)),
                  reverse=True)


def _year(request: HttpRequest, years: list[int]) -> int:
    year = int_param(request.GET.get("year"), 2000, 2100)
    if year:
        return year
    this = timezone.localdate().year
    return this if this in years or not years else years[0]


# ------------------------------------------------------------------------------- board

@role_required(*STAFF)
def board(request: HttpRequest) -> HttpResponse:
    """重点任务: every task of the year the user may see, by state, the overdue ones on top."""
    user = request.user
    years = _years(request)
    year = _year(request, years)
    today = timezone.localdate()
    lights = deadlines.Lights(today)
    last = ProgressReport.objects.filter(case=OuterRef("pk")).order_by("-reported_at", "-id")
    qs = (selectors.with_list_relations(services.key_tasks(user).filter(key_task_detail__year=year))
          .select_related("key_task_detail__responsible_leader", "key_task_detail__planned_lead")
          .annotate(percent=Subquery(last.values("percent")[:1]),
                    milestones_total=Count("milestones", distinct=True),
                    milestones_done=Count("milestones", filter=Q(milestones__done_at__isnull=False),
                                          distinct=True))
          .order_by("number", "id"))
    rows = selectors.decorate(list(qs), lights=lights)
    for r in rows:
        r.red = [d for d in r.case.open_clocks
                 if lights.of(d, r.case.congress_id).light == deadlines.Light.RED]
    kind = get_kind(KIND)
    groups = [(s, [r for r in rows if r.case.state == s.code]) for s in kind.states]
    counts = {s.code: len(g) for s, g in groups}
    return render(request, "keytasks/board.html", {
        "year": year, "years": years or [year], "rows": rows, "groups": [(s, g) for s, g in groups if g],
        "overdue": [r for r in rows if r.red], "counts": counts, "states": kind.states,
        "office": is_office(user), "leader": is_leader(user), "may_export": may_export(user),
        "to_submit": counts.get(DRAFTING, 0), "to_approve": counts.get(PENDING, 0),
        "to_close": counts.get(REPLIED, 0), "in_progress": counts.get(HANDLING, 0),
    })


# ---------------------------------------------------------------------------- new task

def _probe(user) -> Case:
    return Case(congress_id=user.congress_id, kind=KIND, state="")


@role_required(Role.CLERK)
def task_new(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    user = request.user
    if request.method == "POST":
        try:
            case = open_case(KIND, "open", user, request.POST, congress_id=user.congress_id).case
        except (InvalidInput, Busy) as exc:  # not saved: show the form as typed
            form = KeyTaskForm(request.POST, case=_probe(user), actor=user).prepare()
            form.is_valid()
            messages.error(request, exc.message)
            return render(request, "keytasks/task_form.html", {"form": form}, status=exc.status)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        if request.POST.get("then") == "submit":
            try:
                fire(case, "submit_for_approval", user)
                messages.success(request, "已新增并提请主任会议审定。")
            except TransitionError as exc:
                messages.error(request, f"已保存为起草中，但未能提请审定：{exc.message}")
        else:
            messages.success(request, "已新增重点任务（起草中）。确认无误后请“提请主任会议审定”。")
        return redirect("cases:detail", case.pk)
    form = KeyTaskForm(case=_probe(user), actor=user).prepare()
    return render(request, "keytasks/task_form.html", {"form": form})


# -------------------------------------------------------------------- batch approval

@role_required(Role.CLERK, Role.LEADER)
def approval(request: HttpRequest) -> HttpResponse:
    """提请主任会议审定: the office submits the drafted tasks it ticks; a 主任会议 member
    approves the submitted ones it ticks. Each is its own transition through the engine."""
    user = request.user
    if is_office(user):
        state, name, verb = DRAFTING, "submit_for_approval", "提请主任会议审定"
    elif is_leader(user):
        state, name, verb = PENDING, "approve", "审定通过"
    else:
        raise PermissionDenied("只有办公室工作人员和主任会议成员可以使用该页面")
    failed: list[tuple[Case, str]] = []
    if request.method == "POST":
        ids = ids_param(request.POST.getlist("pick"))
        if not ids:
            messages.warning(request, "未选择任何任务。请勾选要办理的任务。")
        else:
            data = {"note": request.POST.get("note", "")} if name == "approve" else {}
            result = services.fire_many(user, ids, name, data)
            if result.done:
                messages.success(request, f"已{verb}{len(result.done)}项。")
            if result.failed:
                messages.error(request, f"{len(result.failed)}项未能{verb}，原因见下表。")
                failed = result.failed
            else:
                return redirect("keytasks:approval")
    qs = (selectors.with_list_relations(services.key_tasks(user).filter(state=state))
          .select_related("key_task_detail__responsible_leader", "key_task_detail__planned_lead")
          .prefetch_related("milestones").order_by("key_task_detail__year", "key_task_detail__category", "id"))
    return render(request, "keytasks/approval.html", {
        "rows": selectors.decorate(list(qs)), "verb": verb, "leader": name == "approve",
        "failed": failed})


# ---------------------------------------------------------------------------- dispatch

@role_required(Role.CLERK)
def dispatch(request: HttpRequest) -> HttpResponse:
    """调度: the office starts the next dispatch; every task in progress (or those ticked) is
    asked for its progress by the due date."""
    _office_only(request)
    user = request.user
    today = timezone.localdate()
    tasks = list(services.key_tasks(user).filter(state=HANDLING)
                 .select_related("key_task_detail").prefetch_related("assignments__unit").order_by("number", "id"))
    form = DispatchStartForm(request.POST or None, initial={
        "due_on": WorkCalendar.for_congress(user.congress_id).add_workdays(today, 5)})
    if request.method == "POST" and form.is_valid():
        picked = ids_param(request.POST.getlist("pick"))
        try:
            result = services.start_dispatch(user, form.cleaned_data["due_on"], form.cleaned_data["note"],
                                             case_ids=picked or [-1])
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已发起{result.dispatch.title}：{len(result.cases)}项任务的牵头部门"
                                      f"须于{result.dispatch.due_on:%Y年%m月%d日}前报送进展。")
            return redirect("keytasks:dispatch")
    dispatches = (Dispatch.objects.filter(congress_id=user.congress_id)
                  .annotate(n_cases=Count("cases", distinct=True), n_reports=Count("reports", distinct=True),
                            n_on_time=Count("reports", filter=Q(reports__on_time=True), distinct=True))
                  .select_related("started_by")[:24])
    seq = services.next_dispatch_seq(user.congress_id, today.year)
    return render(request, "keytasks/dispatch.html", {
        "form": form, "tasks": tasks, "dispatches": dispatches, "today": today,
        "next_title": services.dispatch_title(today.year, seq),
        "picked": set(request.POST.getlist("pick")) if request.method == "POST" else None})


# ----------------------------------------------------------------------- import, export

@role_required(Role.CLERK)
def import_tasks(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    user = request.user
    form = ImportForm(request.POST or None, request.FILES or None,
                      initial={"year": timezone.localdate().year})
    context: dict = {"form": form}
    if request.method == "POST":
        if not form.is_valid():
            context["error"] = next(iter(form.errors.values()))[0]
            return render(request, "keytasks/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        try:
            report = importing.import_tasks(user, upload.read(), form.cleaned_data["year"],
                                            filename=upload.name)
        except (InvalidInput, Busy) as exc:
            context["error"] = exc.message
            return render(request, "keytasks/import.html", context, status=exc.status)
        context["report"] = report
        return render(request, "keytasks/import.html", context, status=200 if report.committed else 400)
    return render(request, "keytasks/import.html", context)


@role_required(Role.CLERK)
def import_template(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    return _download(importing.template_workbook(), "年度重点任务清单_导入模板.xlsx")


@role_required(Role.CLERK, Role.LEADER)
def export(request: HttpRequest) -> HttpResponse:
    if not may_export(request.user):
        raise PermissionDenied("只有办公室和主任会议成员可以导出重点任务清单")
    year = _year(request, _years(request))
    return _download(exports.export_year(request.user, year), exports.filename(year))
