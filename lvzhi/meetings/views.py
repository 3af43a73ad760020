"""The meetings' pages. Thin: parse, ask permissions, call services, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role, User
from lvzhi.core.params import id_param, int_param
from lvzhi.core.validation import summary
from lvzhi.documents.qr import poster
from lvzhi.meetings import documents, permissions, rules, services
from lvzhi.meetings import render as rendering
from lvzhi.meetings.forms import ItemForm, MaterialForm, MeetingForm, NomineeForm, OathForm, PaperForm
from lvzhi.meetings.models import (
    AgendaItem,
    ItemVote,
    Material,
    MaterialPage,
    MaterialVersion,
    Meeting,
    MeetingState,
    Nominee,
    PageNote,
    Participant,
    ParticipantRole,
    PassRule,
    SignInMethod,
)
from lvzhi.votes import ballots
from lvzhi.votes.models import BoxState

ROLES = permissions.PAGE_ROLES
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _meeting(request: HttpRequest, pk: int) -> tuple[Meeting, Participant | None]:
    meeting = get_object_or_404(Meeting.objects.select_related("congress"), pk=pk,
                                congress_id=request.user.congress_id)
    part = permissions.participant(request.user, meeting)
    if not permissions.may_see(request.user, meeting, part):
        raise PermissionDenied("会议材料只对本次会议的参会人员开放")
    return meeting, part


def _item(request: HttpRequest, pk: int) -> tuple[AgendaItem, Participant | None]:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__congress"), pk=pk,
                             meeting__congress_id=request.user.congress_id)
    part = permissions.participant(request.user, item.meeting)
    if not permissions.may_see(request.user, item.meeting, part):
        raise PermissionDenied("会议材料只对本次会议的参会人员开放")
    return item, part


def _docx(data: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=DOCX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@role_required(*ROLES)
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = Meeting.objects.filter(congress_id=user.congress_id).select_related("congress")
    if not (permissions.is_office(user) or user.role == Role.LEADER):
        qs = qs.filter(participants__user=user)
    meetings = list(qs.annotate(n_items=Count("items", distinct=True))[:200])
    return render(request, "meetings/list.html", {
        "meetings": meetings, "office": permissions.is_office(user),
        "current": [m for m in meetings if m.state != MeetingState.CLOSED],
        "past": [m for m in meetings if m.state == MeetingState.CLOSED]})


@role_required(Role.CLERK)
def meeting_new(request: HttpRequest) -> HttpResponse:
    if not permissions.is_office(request.user):
        raise PermissionDenied("只有办公厅工作人员可以筹备会议")
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.create_meeting(request.user, **form.cleaned_data)
            except services.Refused as err:
                messages.error(request, err.message)
            else:
                messages.success(request, "已建立会议，请安排议程、分发材料。")
                return redirect(meeting)
        else:
            messages.error(request, summary(form.errors, "会议信息填写有误"))
        return render(request, "meetings/form.html", {"form": form, "title": "筹备会议"}, status=400)
    return render(request, "meetings/form.html", {"form": form, "title": "筹备会议"})


def _post_action(request: HttpRequest, fn, done: str, target: str) -> HttpResponse:
    try:
        fn()
    except services.Refused as err:
        messages.error(request, err.message)
    else:
        messages.success(request, done)
    return redirect(target)


@role_required(*ROLES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting, part = _meeting(request, pk)
    manager = permissions.may_manage(user, meeting)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("只有办公厅工作人员可以办理会议事务")
        action = request.POST.get("action", "")
        here = meeting.get_absolute_url()
        if action in ("start", "close"):
            state = MeetingState.IN_SESSION if action == "start" else MeetingState.CLOSED
            return _post_action(request, lambda: services.set_state(user, meeting, state),
                                "会议已开始。" if action == "start" else "会议已闭会，可以生成会议纪要。", here)
        if action == "item":
            form = ItemForm(request.POST)
            if not form.is_valid():
                messages.error(request, summary(form.errors, "议题填写有误"))
                return redirect(here)
            return _post_action(request, lambda: services.add_item(user, meeting, **form.cleaned_data),
                                "已列入议程。", here)
        if action in ("sign_in", "leave"):
            target = Participant.objects.filter(meeting=meeting, pk=id_param(request.POST.get("participant"))).first()
            if target is None:
                messages.error(request, "参会人员不存在，请刷新页面后重试")
                return redirect(here)
            if action == "sign_in":
                return _post_action(request, lambda: services.sign_in(meeting, target.user, user, SignInMethod.CLERK),
                                    f"{target}已签到。", here + "#attendance")
            return _post_action(request, lambda: services.set_leave(user, target, request.POST.get("reason", "")),
                                f"已登记{target}请假。", here + "#attendance")
        if action == "attendee":
            person = User.objects.filter(congress_id=meeting.congress_id, pk=id_param(request.POST.get("user"))).first()
            if person is None:
                messages.error(request, "请选择列席人员")
                return redirect(here)
            return _post_action(request, lambda: services.add_attendee(user, meeting, person),
                                f"已邀请{person}列席。", here + "#attendance")
        messages.error(request, "未知的操作，请刷新页面后重试")
        return redirect(here)
    items = list(meeting.items.prefetch_related(
        Prefetch("materials", Material.objects.prefetch_related(
            Prefetch("versions", MaterialVersion.objects.only(
                "pk", "material_id", "number", "late", "distributed_at", "due_on", "page_count"))))))
    for item in items:
        for m in item.materials.all():
            m._versions = list(m.versions.all())
    participants = list(meeting.participants.select_related("user"))
    signed, total = services.quorum(meeting)
    context = {
        "meeting": meeting, "part": part, "manager": manager, "items": items,
        "members": [p for p in participants if p.role == ParticipantRole.MEMBER],
        "attendees": [p for p in participants if p.role == ParticipantRole.ATTENDEE],
        "signed": signed, "total": total, "quorum": rules.has_quorum(signed, total),
        "leave_count": sum(1 for p in participants if p.on_leave),
        "item_form": ItemForm() if manager else None,
        "candidates": (User.objects.filter(congress_id=meeting.congress_id, is_active=True,
                                           role__in=[Role.DEPUTY, Role.UNIT_HEAD])
                       .exclude(pk__in=[p.user_id for p in participants]).order_by("role", "display_name")[:300]
                       if manager and meeting.state != MeetingState.CLOSED else []),
        "sign_in_url": reverse("meetings:sign_in", args=[meeting.pk, services.sign_token(meeting)]),
    }
    return render(request, "meetings/detail.html", context)


@role_required(*ROLES)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item, part = _item(request, pk)
    meeting = item.meeting
    manager = permissions.may_manage(user, meeting)
    here = item.get_absolute_url()
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("只有办公厅工作人员可以办理会议事务")
        action = request.POST.get("action", "")
        if action == "material":
            form = MaterialForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, summary(form.errors, "请选择要上传的材料"))
                return redirect(here)
            material = None
            if request.POST.get("material"):
                material = Material.objects.filter(item=item, pk=id_param(request.POST["material"])).first()
                if material is None:
                    messages.error(request, "材料不存在，请刷新页面后重试")
                    return redirect(here)
            return _post_action(request, lambda: services.upload_material(
                user, item, form.cleaned_data["file"], title=form.cleaned_data["title"], material=material),
                "已上传并分发材料。", here)
        if action == "vote":
            paper = request.POST.get("paper") == "1"
            nominee = None
            if request.POST.get("nominee"):
                nominee = Nominee.objects.filter(item=item, pk=id_param(request.POST["nominee"])).first()
                if nominee is None:
                    messages.error(request, "任免人员不存在，请刷新页面后重试")
                    return redirect(here)
            try:
                vote = services.open_vote(user, item, nominee=nominee, paper=paper)
            except services.Refused as err:
                messages.error(request, err.message)
                return redirect(here + "#votes")
            messages.success(request, "已开始表决，组成人员可在平板或手机上表决。" if not paper
                             else "已开始表决，请发放纸质选票，计票后由两名工作人员分别录入。")
            return redirect("meetings:vote", vote.pk)
        if action == "nominee":
            form = NomineeForm(request.POST)
            if not form.is_valid():
                messages.error(request, summary(form.errors, "任免人员填写有误"))
                return redirect(here)
            d = form.cleaned_data
            return _post_action(request, lambda: services.add_nominee(
                user, item, name=d["name"], post=d["post"], action=d["nomination"], organ=d["organ"]),
                                "已登记任免人员。", here + "#nominees")
        messages.error(request, "未知的操作，请刷新页面后重试")
        return redirect(here)
    materials = list(item.materials.prefetch_related(Prefetch("versions", MaterialVersion.objects.only(
        "pk", "material_id", "number", "late", "distributed_at", "due_on", "page_count", "file_name"))))
    for m in materials:
        m._versions = list(m.versions.all())
    votes = list(item.votes.select_related("nominee"))
    nominees = list(item.nominees.select_related("vote"))
    return render(request, "meetings/item.html", {
        "item": item, "meeting": meeting, "part": part, "manager": manager, "materials": materials,
        "votes": votes, "nominees": nominees, "due_on": services.due_on(item),
        "rule": rules.item_rule(meeting.congress_id, item.item_type),
        "rule_label": PassRule(rules.item_rule(meeting.congress_id, item.item_type).pass_rule).label,
        "material_form": MaterialForm() if manager else None,
        "nominee_form": NomineeForm() if manager else None,
        "open_nominees": [n for n in nominees if getattr(n, "vote", None) is None],
        "has_item_vote": any(v.nominee_id is None and v.state != BoxState.CLOSED for v in votes),
    })


@role_required(*ROLES)
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """The paperless reading page: one page image, prev/next, the reader's own notes."""
    user = request.user
    material = get_object_or_404(Material.objects.select_related("item__meeting__congress"), pk=pk,
                                 item__meeting__congress_id=user.congress_id)
    item = material.item
    part = permissions.participant(user, item.meeting)
    if not permissions.may_see(user, item.meeting, part):
        raise PermissionDenied("会议材料只对本次会议的参会人员开放")
    versions = list(material.versions.only("pk", "number", "page_count", "distributed_at", "late", "material_id")
                    .order_by("number"))
    if not versions:
        raise Http404("该材料尚无文件")
    version = versions[-1]
    wanted = int_param(request.GET.get("v"), 1, 999)
    if wanted:
        version = next((v for v in versions if v.number == wanted), version)
    page = int_param(request.GET.get("page"), 1, max(1, version.page_count)) or 1
    if request.method == "POST":
        note_page = int_param(request.POST.get("page"), 1, 999) or page
        try:
            services.add_note(user, material, note_page, request.POST.get("text", ""))
        except services.Refused as err:
            messages.error(request, err.message)
        else:
            messages.success(request, "批注已保存，仅您本人可见。")
        return redirect(f"{reverse('meetings:read', args=[material.pk])}?page={note_page}")
    changed = services.changed_pages(version)
    notes = list(PageNote.objects.filter(material=material, author=user, page_number=page))
    return render(request, "meetings/read.html", {
        "material": material, "item": item, "meeting": item.meeting, "version": version, "versions": versions,
        "page": page, "pages": range(1, version.page_count + 1), "changed": changed,
        "changed_label": rendering.pages_label(changed), "page_changed": page in changed, "notes": notes,
        "prev": page - 1 if page > 1 else None, "next": page + 1 if page < version.page_count else None})


@role_required(*ROLES)
def page_image(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request.user
    page = get_object_or_404(MaterialPage.objects.select_related("version__material__item__meeting"),
                             version_id=pk, number=number,
                             version__material__item__meeting__congress_id=user.congress_id)
    item = page.version.material.item
    if not permissions.may_see(user, item.meeting):
        raise PermissionDenied("会议材料只对本次会议的参会人员开放")
    data = bytes(page.image)
    if item.confidential:
        stamp = f"{user.display_name or user.username} {timezone.localtime():%Y-%m-%d %H:%M}"
        data = rendering.watermark(data, f"{item.get_confidentiality_display()} {stamp}")
    resp = HttpResponse(data, content_type="image/png")
    resp["Cache-Control"] = "private, no-store" if item.confidential else "private, max-age=3600"
    return resp


@role_required(*ROLES)
def sign_in(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The door's QR code: the member (or 列席) signs in on their own phone."""
    meeting = get_object_or_404(Meeting, pk=pk, congress_id=request.user.congress_id)
    if token != services.sign_token(meeting):
        raise Http404("签到码无效")
    error, part = "", None
    if request.method == "POST":
        try:
            part = services.sign_in(meeting, request.user, request.user, SignInMethod.QR)
        except services.Refused as err:
            error = err.message
    else:
        part = permissions.participant(request.user, meeting)
    return render(request, "meetings/sign_in.html", {"meeting": meeting, "part": part, "error": error},
                  status=400 if error else 200)


@role_required(Role.CLERK)
def sign_in_poster(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk, congress_id=request.user.congress_id)
    if not permissions.may_manage(request.user, meeting):
        raise PermissionDenied("只有办公厅工作人员可以打印签到码")
    url = request.build_absolute_uri(reverse("meetings:sign_in", args=[meeting.pk, services.sign_token(meeting)]))
    data = poster(meeting.title, ["会议签到", f"{meeting.starts_on:%Y年%m月%d日} {meeting.place}"], url, "pdf",
                  footer="请用本人账号登录后扫码签到")
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''meeting-sign-in.pdf"
    return resp


@role_required(*ROLES)
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A vote: the member casts on a phone or tablet; the clerk closes it or enters a paper count."""
    user = request.user
    vote = get_object_or_404(ItemVote.objects.select_related("item__meeting__congress", "nominee"), pk=pk,
                             congress_id=user.congress_id)
    meeting = vote.item.meeting
    part = permissions.participant(user, meeting)
    if not permissions.may_see(user, meeting, part):
        raise PermissionDenied("表决只对本次会议的参会人员开放")
    manager = permissions.may_manage(user, meeting)
    here = reverse("meetings:vote", args=[vote.pk])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "cast":
            try:
                done = services.cast_vote(user, vote, request.POST.get("choice", ""))
            except services.Refused as err:
                messages.error(request, err.message)
            else:
                messages.success(request, f"已表决。回执：{done.receipt}（只证明您的表决已计入，不含所投内容）")
            return redirect(here)
        if not manager:
            raise PermissionDenied("只有办公厅工作人员可以结束表决或录入计票结果")
        if action == "close":
            return _post_action(request, lambda: services.close_vote(user, vote), "表决已结束，结果如下。", here)
        if action == "paper":
            form = PaperForm(request.POST)
            if not form.is_valid():
                messages.error(request, summary(form.errors, "计票结果填写有误"))
                return redirect(here)
            d = form.cleaned_data
            return _post_action(request, lambda: services.enter_paper(
                user, vote, cast=d["cast"], invalid=d["invalid"],
                counts={"yes": d["yes"], "no": d["no"], "abstain": d["abstain"]}),
                "已录入计票结果。", here)
        messages.error(request, "未知的操作，请刷新页面后重试")
        return redirect(here)
    closed = vote.state == BoxState.CLOSED
    roll = ballots.named_roll(vote.pk) if closed and not vote.secret and not vote.paper else []
    labels = dict((c, label) for c, label in vote.choices)
    return render(request, "meetings/vote.html", {
        "vote": vote, "item": vote.item, "meeting": meeting, "part": part, "manager": manager,
        "may_vote": permissions.may_vote(part) and not vote.paper,
        "signed_in": part is not None and part.signed_in_at is not None,
        "has_voted": ballots.has_voted(vote.pk, user), "voted_count": ballots.voted_count(vote.pk),
        "results": [(label, vote.count(code)) for code, label in vote.choices] if closed else [],
        "roll": [(u, "、".join(labels.get(m, m) for m in (marks or [])) or "未表决") for u, marks in roll],
        "paper_form": PaperForm() if manager and vote.paper and not closed else None,
        "waiting_second": bool(vote.paper_entry)})


@role_required(*ROLES)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _part = _meeting(request, pk)
    if not (permissions.may_manage(request.user, meeting) or request.user.role == Role.LEADER):
        raise PermissionDenied("会议纪要由办公厅起草")
    return _docx(documents.minutes(meeting), f"{meeting.title}会议纪要.docx")


@role_required(*ROLES)
def nominee_document(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = get_object_or_404(Nominee.objects.select_related("item__meeting__congress", "vote"), pk=pk,
                                item__meeting__congress_id=request.user.congress_id)
    if not permissions.may_manage(request.user, nominee.item.meeting):
        raise PermissionDenied("任免文书由办公厅制作")
    vote = getattr(nominee, "vote", None)
    if vote is None or not vote.passed:
        messages.error(request, "表决通过后才能制作任免文书")
        return redirect(nominee.item)
    label = "任命书" if nominee.action == "appoint" else "免职通知"
    return _docx(documents.appointment_document(nominee), f"{nominee.name}{label}.docx")


@require_POST
@role_required(Role.CLERK)
def oath(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = get_object_or_404(Nominee.objects.select_related("item__meeting"), pk=pk,
                                item__meeting__congress_id=request.user.congress_id)
    form = OathForm(request.POST)
    target = nominee.item.get_absolute_url() + "#nominees"
    if not form.is_valid():
        messages.error(request, summary(form.errors, "宣誓信息填写有误"))
        return redirect(target)
    return _post_action(request, lambda: services.record_oath(request.user, nominee, **form.cleaned_data),
                        f"已记录{nominee.name}宪法宣誓。", target)


