"""Deputies' participation in the budget review: the draft's key changes, their questions, the
预算工委 sending them to the 财经委 and its answers. Thin: permissions, services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from lvzhi.budget import exports, participation, permissions
from lvzhi.budget import selectors as s
from lvzhi.budget.forms_participation import AnswerForm, QuestionForm
from lvzhi.budget.models import BudgetQuestion, BudgetUnit
from lvzhi.budget.views_analysis import PAGES, export_url
from lvzhi.core.params import int_param


def _draft_year(request: HttpRequest) -> tuple[int, list[int]]:
    cid = request.user.congress_id
    years = s.draft_years(cid)
    year = int_param(request.GET.get("year") or request.POST.get("year"), 2000, 2100)
    return year or (years[0] if years else timezone.localdate().year + 1), years


def _units(congress_id: int) -> list[tuple[str, str]]:
    return list(BudgetUnit.objects.filter(congress_id=congress_id).values_list("code", "name"))


@login_required
def draft(request: HttpRequest) -> HttpResponse:
    """The draft budget's largest changes against last year's budget, and the deputy's questions."""
    user = request.user
    if not permissions.may_read_analysis(user):
        raise PermissionDenied("只有代表、各委员会和预算工委可以查看预算草案")
    year, years = _draft_year(request)
    form = QuestionForm(request.POST or None, units=_units(user.congress_id))
    if request.method == "POST":
        form.is_valid()
        try:
            participation.ask(user, year=year, text=form.cleaned_data.get("text", ""),
                              unit_code=form.cleaned_data.get("unit_code", ""),
                              function_code=form.cleaned_data.get("function_code", ""))
        except participation.QuestionRefused as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, "您的意见已提交，预算工委汇总后送交财经委。")
            return redirect(f"{reverse('budget:draft')}?year={year}")
    dc = s.draft_changes(user.congress_id, year)
    panels = []
    for t in exports.draft_tables(dc):
        t.export_url = export_url(t, year)
        panels.append((t, {"type": "bars", "names": [str(r[0]) for r in t.rows],
                           "series": [{"name": "增减（万元）", "values": [float(r[3]) for r in t.rows]}]}))
    return render(request, "budget/participation/draft.html", {
        "year": year, "years": years, "dc": dc, "panels": panels, "form": form, "pages": PAGES, "page": "",
        "may_ask": permissions.may_ask(user), "may_read_questions": permissions.may_read_questions(user),
        "mine": participation.visible_to(user, year) if permissions.may_ask(user) else []})


@login_required
def questions(request: HttpRequest) -> HttpResponse:
    """The collected questions: the 预算工委 sends them, the 财经委 answers those sent to it."""
    user = request.user
    if not permissions.may_read_questions(user):
        raise PermissionDenied("只有预算工委、财经委和主任会议可以查看代表意见汇总")
    year, years = _draft_year(request)
    if request.method == "POST":
        if not permissions.may_send_questions(user):
            raise PermissionDenied("只有预算工委可以把代表意见送交财经委")
        try:
            n = participation.send(user, year)
        except participation.QuestionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已将{n}条代表意见送交财政经济委员会。")
        return redirect(f"{reverse('budget:questions')}?year={year}")
    rows = list(participation.visible_to(user, year))
    return render(request, "budget/participation/questions.html", {
        "year": year, "years": years, "rows": rows, "pages": PAGES, "page": "",
        "unsent": sum(1 for q in rows if q.sent_at is None),
        "may_send": permissions.may_send_questions(user), "may_answer": permissions.may_answer_questions(user),
        "answer_form": AnswerForm()})


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if request.method != "POST" or not permissions.may_answer_questions(user):
        raise PermissionDenied("只有财经委可以答复代表意见")
    q = get_object_or_404(BudgetQuestion, pk=pk, congress_id=user.congress_id)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        participation.answer(user, q, form.cleaned_data.get("answer", ""))
    except participation.QuestionRefused as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, "答复已保存。")
    return redirect(f"{reverse('budget:questions')}?year={q.year}#q{q.pk}")
