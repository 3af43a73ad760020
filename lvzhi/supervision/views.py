"""The problem list's pages: 问题清单 (every problem the user may see, by state, the overdue
first) and the committee's new problem. Thin: parse, call the engine, render; a problem itself
is the generic case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.cases import deadlines, selectors
from lvzhi.cases.engine import Busy, open_case
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.supervision import states, topic_links
from lvzhi.supervision.forms import ProblemForm
from lvzhi.supervision.models import Topic
from lvzhi.supervision.permissions import KIND, is_committee_staff, may_see_list

STAFF = (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF)


@role_required(*STAFF)
def problems(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_see_list(user):
        raise PermissionDenied("问题清单只对办公厅、各委员会和主任会议开放")
    lights = deadlines.Lights(timezone.localdate())
    qs = (selectors.with_list_relations(visible_cases(user).filter(kind=KIND))
          .select_related("problem_detail__committee", "problem_detail__opinion__topic")
          .order_by("-registered_at", "-id"))
    rows = selectors.decorate(list(qs[:500]), lights=lights)
    kind = get_kind(KIND)
    groups = [(s, [r for r in rows if r.case.state == s.code]) for s in kind.states]
    overdue = [r for r in rows if r.light == deadlines.Light.RED]
    return render(request, "supervision/problems.html", {
        "groups": [(s, g) for s, g in groups if g], "overdue": overdue, "total": len(rows),
        "by_unit": by_unit(rows),
        "may_raise": is_committee_staff(user)})


def by_unit(rows) -> list[tuple[str, int, int, int]]:
    """The 主任会议's view: each responsible unit's open problems and how many are red or yellow,
    the most overdue first."""
    table: dict[str, list[int]] = {}
    for r in rows:
        if r.finished or r.case.state in (states.DRAFTING, states.REGISTERED):
            continue
        for unit in r.lead_units:
            n = table.setdefault(unit, [0, 0, 0])
            n[0] += 1
            n[1] += r.light == deadlines.Light.RED
            n[2] += r.light == deadlines.Light.YELLOW
    return sorted(((u, *n) for u, n in table.items()), key=lambda x: (-x[2], -x[3], -x[1], x[0]))


def _probe(user) -> Case:
    return Case(congress_id=user.congress_id, kind=KIND, state="")


@role_required(Role.COMMITTEE_STAFF, Role.CLERK)
def problem_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_committee_staff(user):
        raise PermissionDenied("只有专门委员会、工作委员会的工作人员可以新增监督问题")
    if request.method == "POST":
        try:
            case = open_case(KIND, "open", user, request.POST, congress_id=user.congress_id).case
        except (InvalidInput, Busy) as exc:  # not saved: show the form as typed
            form = ProblemForm(request.POST, case=_probe(user), actor=user).prepare()
            form.is_valid()
            messages.error(request, exc.message)
            return render(request, "supervision/problem_form.html", {"form": form}, status=exc.status)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, "已新增问题（起草中），办公厅核对后列入问题清单并交办。")
        return redirect("cases:detail", case.pk)
    opinion = request.GET.get("opinion", "")
    form = ProblemForm(case=_probe(user), actor=user, initial={"opinion": opinion} if opinion.isdigit() else {})
    return render(request, "supervision/problem_form.html", {"form": form.prepare()})


@require_POST
@role_required(Role.CLERK, Role.COMMITTEE_STAFF)
def topic_bundles(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, congress_id=request.user.congress_id)
    try:
        bundle = topic_links.link_bundle(topic, request.POST.get("bundle"), request.user,
                                         unlink=request.POST.get("action") == "unlink")
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        done = "已取消关联" if request.POST.get("action") == "unlink" else "已关联"
        messages.success(request, f"{done}打捆督办专题“{bundle.title}”。")
    return redirect("supervision:topic", topic.pk)
