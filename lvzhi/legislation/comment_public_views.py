"""The portal's public comment pages (no login; 立法法 第四十条, 北京条例 第七十三条): drafts out for
comment, a draft article by article with "对本条提意见", the comment form and its receipt, the
receipt lookup, and the summary once published. Nothing personal is shown: no name, no contact."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.params import id_param
from lvzhi.core.throttle import client_ip
from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.comment_forms import PublicCommentForm
from lvzhi.legislation.comment_models import Channel, CommentPeriod, PeriodState, key_label
from lvzhi.portal.selectors import portal_name

SECTION = "立法征求意见"
RECEIPT_SESSION = "lvzhi_comment_receipts"  # the receipts this browser was given, to show once


def _ctx(congress, **extra) -> dict:
    return {"congress": congress, "portal_name": portal_name(congress), "portal_section": SECTION, **extra}


def _public_period(pk: int) -> CommentPeriod:
    return get_object_or_404(CommentPeriod.objects.select_related("draft__bill__regulation", "congress"), pk=pk)


def _chapters(period: CommentPeriod) -> list[tuple[str, list]]:
    """The draft's articles under their chapters, in order; each with its section's heading where
    a new section starts."""
    out: list[tuple[str, list]] = []
    section = ""
    for a in period.draft.parsed().articles:
        if not out or out[-1][0] != a.chapter:
            out.append((a.chapter, []))
            section = ""
        out[-1][1].append((a, a.section if a.section != section else ""))
        section = a.section
    return out


def public_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = svc.public_periods(id_param(request.GET.get("congress")))
    periods = list(qs.order_by("-opens_on", "-pk")[:100])
    congress = periods[0].congress if periods else None
    return render(request, "legislation/comment_public_list.html", _ctx(
        congress, open=[p for p in periods if p.accepting(today)],
        past=[p for p in periods if not p.accepting(today) and p.opens_on <= today]))


def public_draft(request: HttpRequest, pk: int) -> HttpResponse:
    period = _public_period(pk)
    today = timezone.localdate()
    if period.opens_on > today:
        raise Http404("该草案尚未公布征求意见")
    counts = svc.numbers(period) if period.state == PeriodState.PUBLISHED else None
    return render(request, "legislation/comment_public_draft.html", _ctx(
        period.congress, period=period, chapters=_chapters(period), parsed=period.draft.parsed(),
        accepting=period.accepting(today) and Channel.PORTAL in period.channels, numbers=counts))


@never_cache
def public_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The form: on one article (?article=10) or the whole draft; POST saves and shows the receipt."""
    period = _public_period(pk)
    today = timezone.localdate()
    if not (period.accepting(today) and Channel.PORTAL in period.channels):
        return render(request, "legislation/comment_public_closed.html", _ctx(period.congress, period=period),
                      status=410)
    data = request.POST if request.method == "POST" else None
    form = PublicCommentForm(data, initial={"article": request.GET.get("article", "")})
    status = 400 if data is not None and not form.is_valid() else 200
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            comment = svc.submit_public(period, text=d["text"], article_key=d["article"], name=d["name"],
                                        contact=d["contact"], ip=client_ip(request), session=request.session,
                                        answer=d["answer"])
        except TransitionError as exc:
            form.add_error(None, exc.message)
            for name, msgs in exc.errors.items():
                if name in form.fields and name != "article":
                    form.add_error(name, msgs)
            status = exc.status
        else:
            request.session[RECEIPT_SESSION] = [*request.session.get(RECEIPT_SESSION, [])[-9:], comment.receipt]
            return redirect(reverse("legislation:public_comment_done", args=[comment.receipt]))
    key = (form["article"].value() or "").strip()
    article = period.draft.parsed().get(key) if key else None
    if key and article is None:
        form.add_error(None, f"草案中没有{key_label(key)}，请回到草案页面选择条款")
        status = 400
    question = svc.new_challenge(request.session) if svc.needs_challenge(period) else ""
    return render(request, "legislation/comment_public_form.html", _ctx(
        period.congress, period=period, form=form, article=article, question=question, text_max=svc.TEXT_MAX),
        status=status)


@never_cache
def public_comment_done(request: HttpRequest, receipt: str) -> HttpResponse:
    """The receipt, shown once to the browser that submitted it."""
    if receipt not in request.session.get(RECEIPT_SESSION, []):
        return redirect(reverse("legislation:public_receipt"))
    comment = svc.lookup_receipt(receipt)
    if comment is None:
        raise Http404("查询码不存在")
    return render(request, "legislation/comment_public_done.html", _ctx(comment.period.congress, comment=comment))


@never_cache
def public_receipt(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "").strip()[:20]
    comment = svc.lookup_receipt(code) if code else None
    congress = comment.period.congress if comment else None
    later = None
    if comment and comment.adopted_in_id:
        parsed = comment.adopted_in.parsed()
        later = [parsed.get(k) for k in comment.adopted_keys.split(",") if parsed.get(k)]
    return render(request, "legislation/comment_public_receipt.html", _ctx(
        congress, code=code, comment=comment, later=later), status=404 if code and comment is None else 200)
