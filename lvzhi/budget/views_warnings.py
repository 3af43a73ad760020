"""The warnings pages: the list with filters and counts, the repeated-warnings pattern, a
department's warnings. A warning itself is the generic case page (cases:detail) with the kind's
panel; acting on it (push, answer, accept …) happens there, through the engine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lvzhi.budget import run
from lvzhi.budget import warnings as sel
from lvzhi.budget.models import BudgetUnit
from lvzhi.budget.permissions import is_unit_user, may_read_warnings, may_screen_warnings


def _check(request: HttpRequest) -> None:
    if not may_read_warnings(request.user):
        raise PermissionDenied("您无权查看预算预警")


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    _check(request)
    return render(request, "budget/warnings/list.html", {
        **sel.listing(request.user, request.GET), "screen": may_screen_warnings(request.user)})


@login_required
@require_POST
def rerun(request: HttpRequest) -> HttpResponse:
    if not may_screen_warnings(request.user):
        raise PermissionDenied("只有预算工委可以运行预警规则")
    year = sel.year_of(request.user, request.POST)
    r = run.rerun(request.user, year)
    messages.success(request, f"已重新运行{year}年预警规则：新发出{r.raised}件，保留{r.kept}件，自动解除{r.lifted}件。")
    return redirect(f"{reverse('budget:warnings')}?year={year}")


@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    _check(request)
    year = sel.year_of(request.user, request.GET)
    return render(request, "budget/warnings/patterns.html", {
        "year": year, "patterns": sel.repeated(request.user, year), "min_count": sel.REPEATED})


@login_required
def department(request: HttpRequest, unit_id: int) -> HttpResponse:
    _check(request)
    unit = get_object_or_404(BudgetUnit, pk=unit_id, congress_id=request.user.congress_id)
    year = sel.year_of(request.user, request.GET)
    rows = list(sel.visible_warnings(request.user).filter(budget_warning_detail__unit=unit,
                                                         budget_warning_detail__year=year)[:500])
    sel.decorate(rows)
    # A unit may open only its own department; the readers of all warnings see an empty year too.
    if not rows and not sel.sees_unit(request.user, unit) and is_unit_user(request.user):
        raise PermissionDenied("您无权查看该部门的预算预警")
    return render(request, "budget/warnings/department.html", {
        "unit": unit, "year": year, "rows": rows, "by_rule": sel.by_rule(rows), "min_count": sel.REPEATED})


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A warning's own address: the generic case page, which checks visibility itself."""
    _check(request)
    return redirect("cases:detail", pk=pk)
