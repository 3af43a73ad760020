"""What supervision publishes (监督法 第十条 "行使监督职权的情况，向社会公开", 第十七条、第三十七条):
a topic's 审议意见 and the government's 研究处理情况报告 once the 办公厅 released them, the
problem list's progress, and the results of the satisfaction votes released. No login; nothing
personal: the opinion and the report are the bodies' own words, a vote shows its counts only."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from lvzhi.portal.selectors import portal_name
from lvzhi.supervision.documents import problems_of
from lvzhi.supervision.models import Opinion, PlanState, Topic


def published_opinions(topic: Topic):
    return Opinion.objects.filter(topic=topic, published_at__isnull=False).order_by("published_at", "pk")


def published_votes(topic: Topic) -> list:
    if not apps.is_installed("lvzhi.votes"):
        return []
    from lvzhi.votes.models import SatisfactionVote

    return list(SatisfactionVote.objects.filter(topic=topic, published=True, state="closed").order_by("closed_at"))


def public_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("congress", "lead_committee", "plan"), pk=pk)
    if topic.plan is None or topic.plan.state != PlanState.PUBLISHED:
        raise Http404("该议题尚未公开")
    opinions = [(o, list(problems_of(o))) for o in published_opinions(topic)]
    return render(request, "supervision/public_topic.html", {
        "topic": topic, "congress": topic.congress, "portal_name": portal_name(topic.congress),
        "portal_section": "监督工作公开", "opinions": opinions, "votes": published_votes(topic)})
