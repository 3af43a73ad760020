"""A topic's work page (监督工作): the steps and documents of its form of supervision, and the
record endpoints behind it. Thin: permission, form, service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.supervision import activity_services as services
from lvzhi.supervision.activity_forms import FORMS
from lvzhi.supervision.activity_permissions import READERS, may_record, may_see_file, may_view, refusal
from lvzhi.supervision.models import SiteCheck, Topic

SAVED = {
    "step": "已记录该环节", "plan": "已保存检查方案", "member": "已加入检查组", "check": "已记录检查情况",
    "inspection_report": "已保存执法检查报告", "official": "已增加应询负责人", "question": "已记录询问问题",
    "answer": "已记录答复",
    "follow_up": "已增加交办事项", "follow_up_report": "已记录研究处理情况", "appraisee": "已增加评议对象",
    "criterion": "已增加评议指标", "sheet": "已录入打分表", "visit": "已记录调研（视察）情况",
    "research_report": "已保存调研（视察）报告",
}


def _topic(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("lead_committee", "congress"), pk=pk)
    if not may_view(request.user, topic):
        raise PermissionDenied("您无权查看该监督议题")
    return topic


def _page(request: HttpRequest, topic: Topic, failed: tuple[str, forms.Form] | None = None,
          status: int = 200) -> HttpResponse:
    can = may_record(request.user, topic)
    own = {w: cls(topic=topic) for w, (cls, kinds) in FORMS.items() if topic.form in kinds} if can else {}
    if failed:
        own[failed[0]] = failed[1]
    ctx = {"topic": topic, "may_record": can, "f": own, "today": timezone.localdate(),
           "refusal": "" if can else refusal(request.user, topic)}
    if topic.form == "work_report":
        ctx["steps"] = services.step_rows(topic)
    elif topic.form == "law_inspection":
        ctx.update(plan=getattr(topic, "inspection_plan", None),
                   members=topic.inspection_members.select_related("user"),
                   checks=topic.site_checks.all(), report=getattr(topic, "activity_report", None))
    elif topic.form == "inquiry":
        ctx.update(officials=topic.inquiry_officials.all(),
                   questions=topic.inquiry_questions.select_related("asker", "addressed_to"),
                   follow_ups=topic.inquiry_follow_ups.all())
    elif topic.form == "appraisal":
        ctx.update(criteria=topic.criteria.all(), results=services.appraisal_results(topic),
                   thresholds=services.grade_thresholds(topic.congress_id))
    else:
        ctx.update(visits=topic.visits.all(), report=getattr(topic, "activity_report", None))
    return render(request, "supervision/work/topic.html", ctx, status=status)


@role_required(*READERS)
def topic_work(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _topic(request, pk))


@role_required(*READERS)
@require_POST
def topic_work_record(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    topic = _topic(request, pk)
    entry = FORMS.get(what)
    if entry is None or topic.form not in entry[1]:
        raise Http404("该监督形式没有这一项记录")
    if not may_record(request.user, topic):
        raise PermissionDenied(refusal(request.user, topic))
    form = entry[0](request.POST, request.FILES, topic=topic)
    if form.is_valid():
        try:
            services.record(request.user, topic, what, form)
        except forms.ValidationError as err:
            form.add_error(None, err)
        except services.NotPermitted as err:
            raise PermissionDenied(err.message) from err
        else:
            messages.success(request, SAVED[what])
            return redirect(reverse("supervision:topic_work", args=[topic.pk]) + f"#{what}")
    messages.error(request, "未保存：" + "；".join(e for errs in form.errors.values() for e in errs))
    return _page(request, topic, (what, form), status=400)


@role_required(*READERS)
def site_check_file(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(SiteCheck.objects.select_related("topic"), pk=pk)
    if not may_see_file(request.user, check.topic) or not check.attachment:
        raise Http404("附件不存在")
    return FileResponse(check.attachment.open("rb"), as_attachment=False,
                        filename=check.attachment.name.rsplit("/", 1)[-1])
