from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from lvzhi.core.models import Role

HOME_BY_ROLE = {
    Role.DEPUTY: "my_cases",
    Role.CLERK: "intake",
    Role.COMMITTEE_STAFF: "case_list",
    Role.LEADER: "dashboard",
    Role.UNIT_HANDLER: "unit_inbox",
    Role.UNIT_HEAD: "unit_inbox",
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("portal:index")
    target = HOME_BY_ROLE.get(request.user.role)
    if target is None:  # admin roles work in the admin site
        return redirect("admin:index")
    return redirect(target)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = list(request.user.notifications.select_related("case")[:100])
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "core/notifications.html", {"items": items})
