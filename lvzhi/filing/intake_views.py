"""The 制定机关's pages: my filings with what is asked of them, the new filing form, and the
备案回执 / 书面审查意见 downloads. Thin: parse, call the engine, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from lvzhi.cases import deadlines, selectors
from lvzhi.cases.engine import Busy, open_case
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role
from lvzhi.filing import clocks, documents, permissions
from lvzhi.filing.forms import FileForm
from lvzhi.filing.states import COMMUNICATING, CORRECTION_ORDERED, OPINION_SENT, SUPPLEMENTING, SUSPENDED

UNIT = (Role.UNIT_HANDLER, Role.UNIT_HEAD)
ASKED = (SUPPLEMENTING, COMMUNICATING, OPINION_SENT, SUSPENDED, CORRECTION_ORDERED)


def _filer(request: HttpRequest):
    body = permissions.filing_body_of(request.user)
    if body is None:
        raise PermissionDenied("只有制定机关的账号可以报送备案")
    return body


@role_required(*UNIT)
def mine(request: HttpRequest) -> HttpResponse:
    body = _filer(request)
    qs = (selectors.with_list_relations(visible_cases(request.user).filter(kind=permissions.KIND))
          .select_related("filing_detail").order_by("-submitted_at", "-id"))
    cases = list(qs[:500])
    for c in cases:  # a filer is lit by its own duties, not by the reviewers' clocks
        c.open_clocks = [d for d in getattr(c, "open_clocks", []) if d.kind in clocks.MAKER]
    rows = selectors.decorate(cases, lights=deadlines.Lights(timezone.localdate()))
    asked = [r for r in rows if r.case.state in ASKED]
    return render(request, "filing/intake_mine.html", {"body": body, "rows": rows, "asked": asked})


def _probe(user) -> Case:
    return Case(congress_id=user.congress_id, kind=permissions.KIND, state="")


@role_required(*UNIT)
def new(request: HttpRequest) -> HttpResponse:
    body = _filer(request)
    user = request.user
    if request.method == "POST":
        try:
            case = open_case(permissions.KIND, "open", user, request.POST, request.FILES,
                             congress_id=user.congress_id).case
        except (InvalidInput, Busy) as exc:  # nothing saved: the form as typed, with the reasons
            form = FileForm(request.POST, request.FILES, case=_probe(user), actor=user).prepare()
            form.is_valid()
            messages.error(request, exc.message)
            return render(request, "filing/intake_form.html", {"form": form, "body": body}, status=exc.status)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        late = case.filing_detail.late_days
        messages.success(request, "已报送备案，等待法制工作委员会形式审查。"
                         + (f"该文件逾期{late}天报送，已记录。" if late else ""))
        return redirect("cases:detail", case.pk)
    form = FileForm(case=_probe(user), actor=user)
    return render(request, "filing/intake_form.html", {"form": form.prepare(), "body": body})


def _visible(request: HttpRequest, pk: int) -> Case:
    case = visible_cases(request.user).filter(kind=permissions.KIND, pk=pk).select_related(
        "filing_detail__body", "congress").first()
    if case is None:
        raise Http404("没有该备案文件")
    return case


def _docx(content: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(content, content_type=documents.DOCX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible(request, pk)
    if not case.registered_at:
        raise Http404("该文件尚未登记，没有备案回执")
    return _docx(documents.receipt_docx(case), f"备案回执-{case.number}.docx")


def opinion_doc(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible(request, pk)
    if not case.filing_detail.opinion_text:
        raise Http404("没有书面审查意见")
    return _docx(documents.opinion_docx(case), f"书面审查意见-{case.number}.docx")
