"""智能辅助 pages and htmx partials. Thin: check the role and scope, call a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.assist import services, topics, vectors
from lvzhi.assist.models import ModelStatus, RoutingModel
from lvzhi.cases.models import Case, CosignState
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import id_param
from lvzhi.suggestions.states import SuggestionState as S

HOT_TOPICS_CACHE_SECONDS = 300


def _case(request: HttpRequest, pk: int) -> Case:
    case = visible_cases(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("案件不存在或您无权查看")
    return case


def _bad(request: HttpRequest, message: str, template: str = "assist/_message.html") -> HttpResponse:
    return render(request, template, {"error": message}, status=400)


# ------------------------------------------------------------------------ unit routing

@role_required(Role.CLERK)
def case_units(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "assist/_units.html", {"case": case, "s": services.unit_suggestions(case)})


@role_required(Role.CLERK)
def models_page(request: HttpRequest) -> HttpResponse:
    return render(request, "assist/models.html", _models_context(request))


@role_required(Role.CLERK)
def models_table(request: HttpRequest) -> HttpResponse:
    return render(request, "assist/_models_table.html", _models_context(request))


def _models_context(request: HttpRequest) -> dict:
    cid = request.user.congress_id
    models = list(RoutingModel.objects.filter(congress_id=cid).select_related("created_by")[:30])
    return {"models": models, "training": any(m.status == ModelStatus.TRAINING for m in models),
            "active": next((m for m in models if m.is_active), None),
            "history_count": services.history_count(cid) if not models else None}


@require_POST
@role_required(Role.CLERK)
def retrain(request: HttpRequest) -> HttpResponse:
    try:
        model = services.enqueue_retraining(request.user.congress_id, request.user)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("assist_models")
    messages.success(request, f"已开始训练第{model.version}版：完成后与当前启用的版本对比检验，不比原版本差才启用。")
    return redirect("assist_models")


# ----------------------------------------------------------------------- similar cases

@role_required(Role.DEPUTY, Role.CLERK, Role.LEADER)
def similar(request: HttpRequest) -> HttpResponse:
    """The panel beside the draft form: registered cases that already raise the same matter.
    The form POSTs the draft (a long body in a query string passes a proxy's URL limit: 414);
    GET with the same parameters answers the same."""
    params = request.POST if request.method == "POST" else request.GET
    title, body = params.get("title", ""), params.get("body", "")
    raw_exclude = request.GET.get("exclude", "")
    exclude = id_param(raw_exclude)
    if raw_exclude and exclude is None:
        return _bad(request, "参数有误：exclude 应为案件编号数字")
    try:
        found = services.similar_cases(request.user.congress_id, title[:2000], body[:20000],
                                       exclude_id=exclude,
                                       registered_only=request.user.role == Role.DEPUTY)
    except InvalidInput as exc:
        return _bad(request, exc.message)
    return render(request, "assist/_similar.html", {"found": found, "for_deputy": request.user.role == Role.DEPUTY})


@role_required(Role.CLERK)
def case_similar(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    found = services.similar_to_case(case) if case.state in (S.SUBMITTED, S.REGISTERED) else []
    return render(request, "assist/_case_similar.html", {"case": case, "found": found,
                                                         "merge_targets": services.MERGE_TARGET_STATES})


# ------------------------------------------------------------------------- reply check

@role_required(Role.UNIT_HEAD, Role.CLERK)
def reply_check(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "assist/_reply_check.html", {"checked": services.replies_to_check(request.user, case),
                                                        "labels": services.FLAG_LABELS})


# -------------------------------------------------------------------------- hot topics

def _month(value: str, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        day = dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise InvalidInput(f"月份格式应为“年-月”，如 2026-01，收到“{value[:20]}”") from None
    if not 2000 <= day.year <= 2100:
        raise InvalidInput(f"月份超出范围：{value[:20]}")
    return day


def _month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@role_required(Role.LEADER, Role.CLERK)
def hot_topics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    default_from = dt.date(this_month.year - (this_month.month <= 11), (this_month.month - 12) % 12 + 1, 1)
    try:
        start = _month(request.GET.get("from", ""), default_from)
        end = _month(request.GET.get("to", ""), this_month)
        if start > end:
            raise InvalidInput("起始月份不能晚于结束月份")
        if (end.year - start.year) * 12 + end.month - start.month >= 60:
            raise InvalidInput("统计期间最长五年，请缩短月份范围")
    except InvalidInput as exc:
        return render(request, "assist/hot_topics.html", {"error": exc.message, "start": request.GET.get("from", ""),
                                                          "end": request.GET.get("to", "")}, status=400)
    cid = request.user.congress_id
    # The vectors' freshness is in the key: once the embedding task has run, topics are recomputed.
    n_vec, latest_vec = vectors.freshness(Case.objects.filter(congress_id=cid).values("id"))
    key = f"assist:hot:{cid}:{start:%Y-%m}:{end:%Y-%m}:v{n_vec}:{latest_vec}"
    data = cache.get(key)
    if data is None:
        data = _compute_topics(cid, start, _month_end(end))
        cache.set(key, data, HOT_TOPICS_CACHE_SECONDS)
    return render(request, "assist/hot_topics.html", {"start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}", **data})


def _compute_topics(congress_id: int, start: dt.date, end: dt.date) -> dict:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    # Merged duplicates are counted as support of the case they went into, not as cases.
    qs = (Case.objects.filter(congress_id=congress_id)
          .exclude(state__in=[S.DRAFT, S.MERGED, S.WITHDRAWN, S.CONVERTED])
          .annotate(t=Coalesce("submitted_at", "created_at"),
                    cosigned=Count("cosigns", filter=Q(cosigns__state=CosignState.CONFIRMED), distinct=True),
                    merged=Count("merged_cases", distinct=True))
          .filter(t__gte=lo, t__lt=hi))
    docs = [topics.HotDoc(c.pk, c.title, c.body, timezone.localtime(c.t), c.cosigned + c.merged)
            for c in qs.only("id", "title", "body", "submitted_at", "created_at")]
    # Stored sentence vectors when every case of the period has a fresh one, else characters.
    matrix = vectors.stored_matrix([(d.id, d.title, d.body) for d in docs])
    if matrix is None and docs:
        vectors.request_embedding(congress_id)
    found = topics.find_topics(docs, embeddings=matrix)
    months = topics.months_between(start, end)
    numbers = dict(Case.objects.filter(pk__in=[t.representative_id for t in found]).values_list("pk", "number"))
    rows = [{"rank": i, "key_phrases": t.key_phrases, "title": t.representative_title,
             "case_id": t.representative_id, "number": numbers.get(t.representative_id, ""),
             "size": t.size, "likes": t.likes, "member_ids": t.member_ids,
             "chart_id": f"trend-{i}", "chart": topics.as_chart(t, months)}
            for i, t in enumerate(found[:30], start=1)]
    return {"topics": rows, "n_cases": len(docs), "n_in_topics": sum(t.size for t in found),
            "semantic": matrix is not None}
