from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lvzhi.core import audit, otp, passwords, tokens
from lvzhi.core.forms import PasswordChangeForm
from lvzhi.core.models import ApiToken, Role

# Each role's day starts from its to-do lists; the leader's from the dashboard (its 待办
# entry appears in the navigation when something waits for the 主任会议).
HOME_BY_ROLE = {
    Role.DEPUTY: "cases:todo",
    Role.CLERK: "cases:todo",
    Role.COMMITTEE_STAFF: "cases:todo",
    Role.LEADER: "dashboard",
    Role.UNIT_HANDLER: "cases:todo",
    Role.UNIT_HEAD: "cases:todo",
}
NOTIFICATIONS_PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("portal:index")
    target = HOME_BY_ROLE.get(request.user.role)
    if target is None:  # admin roles work in the admin site
        return redirect("admin:index")
    return redirect(target)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """Twenty a page, newest first. Reading the list marks nothing: an item is read when it is
    opened (notification_open), or when the user marks them all."""
    mine = request.user.notifications.all()
    only_unread = request.GET.get("unread") == "1"
    qs = mine.filter(read_at__isnull=True) if only_unread else mine
    page = Paginator(qs.select_related("case").order_by("-created_at", "-id"),
                     NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {
        "page": page, "items": page.object_list, "only_unread": only_unread,
        "unread": mine.filter(read_at__isnull=True).count()})


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about (its case, or back to the list)."""
    n = get_object_or_404(request.user.notifications, pk=pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    if n.case_id:
        return redirect("cases:detail", n.case_id)
    return redirect(_safe_next(request, reverse("notifications")))


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    n = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, f"已将{n}条消息标为已读。" if n else "没有未读消息。")
    return redirect(_safe_next(request, reverse("notifications")))


def help_page(request: HttpRequest) -> HttpResponse:
    """帮助: what each role's to-do lists mean and the day's main steps, from the registry, and
    the deadlines as this congress's rule set counts them."""
    user = request.user
    congress_id = getattr(user, "congress_id", None) if user.is_authenticated else None
    return render(request, "core/help.html", {
        "roles": _help_roles(user.role if user.is_authenticated else ""),
        "clocks": _help_clocks(congress_id) if congress_id else [],
    })


HELP_ROLES = (Role.CLERK, Role.UNIT_HANDLER, Role.UNIT_HEAD, Role.DEPUTY, Role.COMMITTEE_STAFF,
              Role.LEADER)


def _help_roles(current: str) -> list[dict]:
    """Every role's to-do lists as declared (label, hint), the reader's own role first."""
    from lvzhi.cases.todo import declared_lists

    declared = sorted(declared_lists(), key=lambda t: (t.order, t.code))
    out = []
    for role in HELP_ROLES:
        seen: dict[str, tuple[str, str]] = {}
        for t in declared:
            if role in t.roles:
                seen.setdefault(t.code, (t.label, t.hint))
        out.append({"code": role, "label": Role(role).label, "lists": list(seen.values()),
                    "mine": role == current})
    return sorted(out, key=lambda r: not r["mine"])


UNIT_WORDS = {"months": "个月", "workdays": "个工作日", "days": "天"}


def _help_clocks(congress_id: int) -> list[dict]:
    """The deadlines the installed kinds run, counted as this congress's rule set says."""
    from lvzhi.cases.clocks import get_clock
    from lvzhi.cases.deadlines import rules_for
    from lvzhi.cases.kinds import all_kinds

    rules = rules_for(congress_id)
    codes: list[str] = []
    for kind in all_kinds():
        codes += [c for c in kind.clocks if c not in codes]
    rows = []
    for code in codes:
        clock = get_clock(code)
        length = ("按指定日期" if clock.unit == "fixed"
                  else f"{clock.length(rules)}{UNIT_WORDS.get(clock.unit, '')}")
        rows.append({"label": clock.label, "length": length, "duty": clock.duty,
                     "basis": clock.basis})
    return rows


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of login for a user with an authenticator app."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    if request.user.is_verified() or not otp.has_device(request.user):
        return redirect(next_url)
    error = ""
    if request.method == "POST":
        device = otp.verify(request.user, request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        error = "动态验证码不正确或已过期，请查看验证器中的最新6位数字后重试。"
    return render(request, "core/otp_verify.html", {"error": error, "next": next_url},
                  status=400 if error else 200)


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (optional for everyone, recommended for leaders and admins)."""
    if otp.has_device(request.user):
        return render(request, "core/otp_setup.html", {"enrolled": True})
    device = otp.pending_device(request.user)
    error = ""
    if request.method == "POST":
        if otp.confirm(device, request.POST.get("token", "").strip()):
            otp_login(request, device)
            messages.success(request, "已启用动态验证码。今后登录时需要输入验证器中的6位数字。")
            return redirect("otp_setup")
        error = "验证码不正确，请确认手机时间准确后，输入验证器中显示的6位数字。"
    return render(request, "core/otp_setup.html", {
        "qr": otp.qr_data_uri(device), "secret": otp.secret_text(device), "error": error},
        status=400 if error else 200)


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or default
    return next_url if url_has_allowed_host_and_scheme(next_url, {request.get_host()}) else default


@sensitive_post_parameters()
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """修改密码: for everyone, and forced after an administrator's reset or when expired."""
    reason = passwords.change_reason(request.user)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            audit.record(audit.ACCOUNT, user.pk, "password_changed", "本人修改密码", actor=user,
                         target=user, payload={"forced": reason})
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。您的其他登录会话和原有接口令牌已失效。")
        return redirect(_safe_next(request))
    return render(request, "core/password_change.html", {
        "form": form, "reason": passwords.REASON_TEXT.get(reason, ""),
        "policy": passwords.policy_text(), "next": _safe_next(request, "")},
        status=400 if form.errors else 200)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """我的接口令牌: the owner's tokens; a new one is shown once, here, when issued."""
    new_key = ""
    if request.method == "POST":
        _token, new_key = tokens.issue(request.user, via="page")
    items = list(ApiToken.objects.filter(user=request.user)[:100])
    return render(request, "core/api_tokens.html", {"items": items, "new_key": new_key})


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk, user=request.user)
    if tokens.revoke([token], tokens.OWNER, actor=request.user):
        messages.success(request, f"已撤销接口令牌 {token.prefix}…，使用它的程序将无法再调用接口。")
    return redirect("api_tokens")
