"""The working pages of public comment: the 法工委's periods and sorting page, the own-name comment
pages of deputies, committees and units, and a contact point's entry, import and feedback. Thin:
parse, ask comment_permissions, call comment_services, render."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.cases.workflow import TransitionError
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.core.params import id_param
from lvzhi.core.validation import summary
from lvzhi.documents.excel import SheetError
from lvzhi.legislation import comment_documents as docs
from lvzhi.legislation import comment_import as importing
from lvzhi.legislation import comment_permissions as perms
from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.comment_forms import DecideForm, ImportForm, MeetingForm, OwnCommentForm, PeriodForm, SummaryForm
from lvzhi.legislation.comment_models import Channel, Comment, CommentPeriod, Outcome, PeriodState, key_label
from lvzhi.legislation.models import ContactPoint, Draft

STAFF = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)
OWN = (Role.DEPUTY, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD)
ENTRY_ROWS = 8  # blank opinion rows on the entry page; more come from the Excel import


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _period(request: HttpRequest, pk: int) -> CommentPeriod:
    return get_object_or_404(CommentPeriod.objects.select_related("draft__bill__regulation", "congress"),
                             pk=pk, congress_id=request.user.congress_id)


def _comment(request: HttpRequest, pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("period__draft__bill"), pk=pk,
                             period__congress_id=request.user.congress_id)


def _fail(request: HttpRequest, exc: TransitionError) -> None:
    messages.error(request, exc.message)


def _articles(draft: Draft) -> list[tuple[str, str]]:
    return [(a.key, f"{a.label} {a.text[:24]}") for a in draft.parsed().articles]


# ------------------------------------------------------------------ the 法工委's pages

def _periods_page(request: HttpRequest, form: PeriodForm | None, status: int = 200) -> HttpResponse:
    user = request.user
    rows = list(CommentPeriod.objects.filter(congress_id=user.congress_id)
                .select_related("draft__bill__regulation")
                .annotate(n=Count("comments"), decided=Count("comments", filter=~Q(comments__outcome="")))
                .order_by("-opens_on", "-pk"))
    return render(request, "legislation/comment_periods.html", {
        "rows": rows, "form": form, "min_days": svc.min_days(user.congress_id)}, status=status)


@role_required(*STAFF)
def periods(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(perms.may_see_periods(user), "征求意见工作页面只对法制工作委员会、各专门委员会和主任会议开放")
    form = None
    if perms.may_manage(user):
        today = timezone.localdate()
        form = PeriodForm(congress_id=user.congress_id, initial={
            "opens_on": today, "closes_on": today + dt.timedelta(days=svc.min_days(user.congress_id) - 1),
            "draft": id_param(request.GET.get("draft"))})
    return _periods_page(request, form)


@role_required(Role.CLERK)
@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need(perms.may_manage(user), "只有法制工作委员会可以发布草案征求意见")
    form = PeriodForm(request.POST, congress_id=user.congress_id)
    if form.is_valid():
        d = form.cleaned_data
        try:
            period = svc.open_period(user, d["draft"], opens_on=d["opens_on"], closes_on=d["closes_on"],
                                     channels=d["channels"], short_reason=d["short_reason"], note=d["note"])
        except TransitionError as exc:
            form.add_error(None, exc.message)
            for name, msgs in exc.errors.items():
                if name in form.fields:
                    form.add_error(name, msgs)
        else:
            messages.success(request, f"已发布“{period.draft}”征求意见，{period.days}日。")
            return redirect(period.get_absolute_url())
    else:
        messages.error(request, summary(form.errors, "“发布征求意见”"))
    return _periods_page(request, form, status=400)


FILTER_OUTCOMES = [("pending", "未研究"), *Outcome.choices]


@role_required(*STAFF)
def period(request: HttpRequest, pk: int) -> HttpResponse:
    """The sorting page: filter by article, channel, outcome; duplicates under their lead."""
    user = request.user
    _need(perms.may_see_periods(user), "征求意见工作页面只对法制工作委员会、各专门委员会和主任会议开放")
    p = _period(request, pk)
    qs = (Comment.objects.filter(period=p).select_related("contact_point", "organization", "author", "adopted_in",
                                                             "duplicate_of")
          .annotate(n_dups=Count("duplicates")))
    article, channel, outcome = (request.GET.get(k, "").strip()[:12] for k in ("article", "channel", "outcome"))
    if article:
        qs = qs.filter(article_key="" if article == "whole" else article)
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    if outcome == "pending":
        qs = qs.filter(outcome="")
    elif outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    if request.GET.get("leads"):
        qs = qs.filter(duplicate_of__isnull=True)
    page = Paginator(qs.order_by("article_key", "created_at", "pk"), 40).get_page(request.GET.get("page"))
    parsed = p.draft.parsed()
    by_article = dict(Comment.objects.filter(period=p).order_by().values("article_key").annotate(n=Count("pk"))
                      .values_list("article_key", "n"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "legislation/comment_period.html", {
        "p": p, "page": page, "numbers": svc.numbers(p), "may_decide": perms.may_decide(user),
        "articles": [(a.key, a.label, by_article.get(a.key, 0)) for a in parsed.articles],
        "whole": by_article.get("", 0), "channels": Channel.choices, "outcomes": FILTER_OUTCOMES,
        "f": {"article": article, "channel": channel, "outcome": outcome, "leads": request.GET.get("leads", "")},
        "query": query.urlencode(), "decide_form": DecideForm(), "later": list(svc.later_drafts(p)),
        "article_choices": _articles(p.draft), "today": timezone.localdate()})


def _back(request: HttpRequest, p: CommentPeriod, anchor: str = "") -> HttpResponse:
    nxt = request.POST.get("next", "")
    base = nxt if nxt.startswith(reverse("legislation:comment_period", args=[p.pk])) else p.get_absolute_url()
    return redirect(base + anchor)


@role_required(Role.CLERK)
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    p = _period(request, pk)
    try:
        svc.close_period(request.user, p)
        messages.success(request, "已截止征求意见。")
    except TransitionError as exc:
        _fail(request, exc)
    return redirect(p.get_absolute_url())


@role_required(Role.CLERK)
@require_POST
def period_group(request: HttpRequest, pk: int) -> HttpResponse:
    p = _period(request, pk)
    try:
        n = svc.group_duplicates(request.user, p)
        messages.success(request, f"已合并相同意见{n}条，可逐条撤销合并。" if n else "没有发现新的相同意见。")
    except TransitionError as exc:
        _fail(request, exc)
    return redirect(p.get_absolute_url())


@role_required(Role.CLERK)
@require_POST
def comment_ungroup(request: HttpRequest, pk: int) -> HttpResponse:
    c = _comment(request, pk)
    try:
        svc.ungroup(request.user, c)
        messages.success(request, "已撤销合并。")
    except TransitionError as exc:
        _fail(request, exc)
    return _back(request, c.period, f"#c{c.pk}")


@role_required(Role.CLERK)
@require_POST
def comment_move(request: HttpRequest, pk: int) -> HttpResponse:
    c = _comment(request, pk)
    try:
        svc.move(request.user, c, request.POST.get("article", ""))
        messages.success(request, f"已将意见归入{key_label(request.POST.get('article', ''))}。")
    except TransitionError as exc:
        _fail(request, exc)
    return _back(request, c.period, f"#c{c.pk}")


@role_required(Role.CLERK)
@require_POST
def comment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    c = _comment(request, pk)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise svc.InvalidInput(summary(form.errors, "“研究意见”"))
        done = svc.decide(request.user, c, form.cleaned_data["outcome"], form.cleaned_data["reason"])
        label = Outcome(form.cleaned_data["outcome"]).label
        messages.success(request, f"已{label}" + (f"（连同相同意见共{len(done)}条）" if len(done) > 1 else "") + "。")
    except TransitionError as exc:
        _fail(request, exc)
    return _back(request, c.period, f"#c{c.pk}")


@role_required(*STAFF)
def comment_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The old article beside the new one(s); POST links the adopted comment to them."""
    user = request.user
    _need(perms.may_see_periods(user), "征求意见工作页面只对法制工作委员会、各专门委员会和主任会议开放")
    c = _comment(request, pk)
    later = list(svc.later_drafts(c.period))
    chosen = next((d for d in later if d.pk == id_param(request.POST.get("draft") or request.GET.get("draft"))),
                  c.adopted_in if c.adopted_in in later else (later[-1] if later else None))
    if request.method == "POST":
        _need(perms.may_decide(user), "只有法制工作委员会可以关联修改后的条款")
        try:
            if chosen is None:
                raise svc.InvalidInput("该法规案还没有后续草案稿")
            svc.link(user, c, chosen, request.POST.getlist("keys"))
            messages.success(request, "已关联修改后的条款。")
            return redirect(c.get_absolute_url())
        except TransitionError as exc:
            _fail(request, exc)
    old = c.period.draft.parsed().get(c.article_key) if c.article_key else None
    new_parsed = chosen.parsed() if chosen else None
    keys = c.adopted_keys.split(",") if c.adopted_keys else ([c.article_key] if c.article_key else [])
    return render(request, "legislation/comment_link.html", {
        "c": c, "old": old, "later": later, "chosen": chosen, "new_articles": new_parsed.articles if new_parsed else [],
        "selected": [new_parsed.get(k) for k in keys if new_parsed and new_parsed.get(k)],
        "keys": keys, "may_decide": perms.may_decide(user)})


@role_required(*STAFF)
def period_summary(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _need(perms.may_see_periods(user), "征求意见工作页面只对法制工作委员会、各专门委员会和主任会议开放")
    p = _period(request, pk)
    form = SummaryForm(request.POST or None, initial={"summary": p.summary or svc.summary_text(p)})
    if request.method == "POST":
        _need(perms.may_manage(user), "只有法制工作委员会可以发布征求意见情况通报")
        if form.is_valid():
            try:
                svc.publish_summary(user, p, form.cleaned_data["summary"])
                messages.success(request, "征求意见情况通报已在门户网站草案页面发布。")
                return redirect(p.get_absolute_url())
            except TransitionError as exc:
                _fail(request, exc)
        else:
            messages.error(request, summary(form.errors, "“情况通报”"))
    return render(request, "legislation/comment_summary.html", {
        "p": p, "form": form, "numbers": svc.numbers(p), "may_manage": perms.may_manage(user)})


def _docx(data: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=docs.DOCX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


@role_required(*STAFF)
def period_summary_docx(request: HttpRequest, pk: int) -> HttpResponse:
    _need(perms.may_see_periods(request.user), "征求意见工作页面只对法制工作委员会、各专门委员会和主任会议开放")
    p = _period(request, pk)
    if not p.summary:
        p.summary = svc.summary_text(p)
    return _docx(docs.summary_docx(p), f"{p.draft.bill.regulation.title}征求意见情况通报.docx")


@role_required(*STAFF)
def contact_points(request: HttpRequest) -> HttpResponse:
    _need(perms.may_see_periods(request.user), "联系点名册只对法制工作委员会、各专门委员会和主任会议开放")
    rows = (ContactPoint.objects.filter(congress_id=request.user.congress_id).select_related("clerk")
            .annotate(n=Count("comments"), adopted=Count("comments", filter=Q(comments__outcome__in=["adopted",
                                                                                                    "partly"])),
                      meetings_n=Count("meetings", distinct=True))
            .order_by("district", "name"))
    return render(request, "legislation/comment_points.html", {"rows": rows})


# ------------------------------------------------------------------ deputies, committees, units

@role_required(*OWN)
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    channel = perms.own_channel(user)
    _need(channel is not None, "您的账号不能对法规草案提出意见")
    today = timezone.localdate()
    open_ = [p for p in CommentPeriod.objects.filter(congress_id=user.congress_id, state=PeriodState.OPEN)
             .select_related("draft__bill__regulation") if p.accepting(today) and channel in p.channels]
    own = list(Comment.objects.filter(author=user).select_related("period__draft__bill__regulation", "adopted_in")
               .order_by("-created_at")[:100])
    return render(request, "legislation/comment_mine.html", {"open": open_, "own": own,
                                                             "channel": Channel(channel).label,
                                                             "points": list(perms.own_contact_points(user))})


@role_required(*OWN)
def own_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    p = _period(request, pk)
    _need(perms.may_comment_as(user, p), "本次征求意见未向您的账号开放")
    form = OwnCommentForm(request.POST or None, articles=_articles(p.draft),
                          initial={"article": request.GET.get("article", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            c = svc.submit_own(user, p, text=form.cleaned_data["text"], article_key=form.cleaned_data["article"])
            messages.success(request, f"已提交对{c.article_label}的意见，研究结果将在“我的意见”中显示。")
            return redirect(reverse("legislation:comment_mine"))
        except TransitionError as exc:
            form.add_error(None, exc.message)
            status = exc.status
    elif request.method == "POST":
        status = 400
    return render(request, "legislation/comment_own_form.html", {"p": p, "form": form,
                                                                 "chapters": p.draft.parsed().articles},
                  status=status)


# ------------------------------------------------------------------ contact points

def _own_point(request: HttpRequest, pk: int) -> ContactPoint:
    point = get_object_or_404(ContactPoint, pk=pk, congress_id=request.user.congress_id)
    _need(perms.may_enter_for(request.user, point), "只能查看和录入本联系点的意见")
    return point


@login_required
def point_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    points = list(perms.own_contact_points(user))
    _need(bool(points), "该页面只对基层立法联系点的录入账号开放")
    today = timezone.localdate()
    periods_ = list(CommentPeriod.objects.filter(congress_id=user.congress_id)
                    .select_related("draft__bill__regulation").order_by("-opens_on"))
    blocks = []
    for point in points:
        rows = []
        for p in periods_:
            opinions = list(Comment.objects.filter(period=p, contact_point=point).select_related("adopted_in")
                            .order_by("created_at", "pk"))
            accepting = p.accepting(today) and Channel.CONTACT_POINT in p.channels
            if opinions or accepting:
                rows.append((p, accepting, opinions))
        blocks.append((point, rows))
    return render(request, "legislation/comment_point_home.html", {"blocks": blocks})


def _entry_rows(data) -> list[svc.Opinion]:
    out = []
    for i in range(ENTRY_ROWS):
        text = (data.get(f"text-{i}") or "").strip()
        if text:
            out.append(svc.Opinion((data.get(f"article-{i}") or "").strip()[:12], text,
                                   (data.get(f"submitter-{i}") or "")[:40], ""))
    return out


@login_required
def point_enter(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    point = _own_point(request, pk)
    p = _period(request, period_pk)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate(), "place": point.address})
    status = 200
    if request.method == "POST":
        d = form.cleaned_data if form.is_valid() else {}
        try:
            _meeting, saved = svc.enter_meeting(request.user, point, p, held_on=d.get("held_on"),
                                                place=d.get("place", ""), participants=d.get("participants"),
                                                opinions=_entry_rows(request.POST))
            messages.success(request, f"已以{point.name}名义录入意见{len(saved)}条。")
            return redirect(reverse("legislation:point_home"))
        except TransitionError as exc:
            form.add_error(None, exc.message)
            status = exc.status
    rows = [{"i": i, "article": request.POST.get(f"article-{i}", ""), "text": request.POST.get(f"text-{i}", ""),
             "submitter": request.POST.get(f"submitter-{i}", "")} for i in range(ENTRY_ROWS)]
    return render(request, "legislation/comment_point_enter.html", {
        "point": point, "p": p, "form": form, "rows": rows, "article_choices": _articles(p.draft)}, status=status)


@login_required
def point_import(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    point = _own_point(request, pk)
    p = _period(request, period_pk)
    form = ImportForm(request.POST or None, request.FILES or None,
                      initial={"held_on": timezone.localdate(), "place": point.address})
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                report = importing.import_opinions(request.user, point, p, d["file"], held_on=d["held_on"],
                                                   place=d["place"], participants=d["participants"],
                                                   save_good=d["save_good"])
            except (TransitionError, SheetError) as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                if report.saved:
                    messages.success(request, f"已导入意见{len(report.saved)}条。")
                status = 200 if report.saved else 400
        else:
            status = 400
    return render(request, "legislation/comment_point_import.html", {
        "point": point, "p": p, "form": form, "report": report}, status=status)


@login_required
def point_template(request: HttpRequest, period_pk: int) -> HttpResponse:
    _need(perms.is_contact_point_clerk(request.user) or perms.may_manage(request.user), "无权下载")
    p = _period(request, period_pk)
    resp = HttpResponse(importing.template_xlsx(p), content_type=importing.XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('联系点意见导入模板.xlsx')}"
    return resp


@login_required
def point_feedback(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """意见采纳反馈单: for the point's own clerk and the 法工委."""
    point = get_object_or_404(ContactPoint, pk=pk, congress_id=request.user.congress_id)
    _need(perms.may_enter_for(request.user, point) or perms.may_manage(request.user), "只能下载本联系点的反馈单")
    p = _period(request, period_pk)
    return _docx(docs.feedback_docx(point, p), f"{point.name}意见采纳反馈单.docx")
