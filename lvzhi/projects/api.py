"""民生实事项目 under /api/v1/projects/: the congress's rounds (and its districts'), and one round
with its candidates, the published count of each box and the chosen projects with progress.
Reads only, for the accounts that see the round's page (permissions.may_see)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lvzhi.api.views import LIST_ERRORS, Pagination, errors
from lvzhi.projects import permissions, selectors
from lvzhi.projects.models import ProjectRound


class RoundSerializer(serializers.ModelSerializer):
    congress = serializers.CharField(source="congress.short_name")
    stage_label = serializers.CharField(source="get_stage_display")
    threshold_label = serializers.CharField(source="get_threshold_display")
    tie_rule_label = serializers.CharField(source="get_tie_rule_display")

    class Meta:
        model = ProjectRound
        fields = ["id", "congress", "congress_id", "year", "places", "threshold", "threshold_label", "tie_rule",
                  "tie_rule_label", "stage", "stage_label", "published_at"]


class RoundDetailSerializer(RoundSerializer):
    candidates = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "explanation", "mid_report", "mid_report_on", "candidates",
                  "results", "projects"]

    def get_candidates(self, r: ProjectRound) -> list[dict]:
        return [{"code": c.code, "title": c.title, "budget_wan": str(c.budget_wan), "department": c.department.name,
                 "location": c.location, "start_on": c.start_on, "end_on": c.end_on, "expected": c.expected}
                for c in r.candidates.select_related("department")]

    def get_results(self, r: ProjectRound) -> list[dict]:
        return [{"box_id": b.pk, "revote": b.revote_of_id is not None, "paper": b.paper, "state": b.state,
                 "electorate": b.electorate_size, "cast": b.tally.get("cast"), "invalid": b.tally.get("invalid"),
                 "ranked": selectors.result_rows(b)} for b in r.ballots.order_by("id")]

    def get_projects(self, r: ProjectRound) -> list[dict]:
        return [{"id": row.project.pk, "rank": row.project.rank, "title": row.project.candidate.title,
                 "votes": row.project.votes, "budget_wan": str(row.project.candidate.budget_wan),
                 "funds_spent_wan": str(row.project.funds_spent_wan), "progress": row.progress,
                 "lagging": row.lagging, "completed_on": row.project.completed_on,
                 "satisfaction": row.satisfaction} for row in selectors.project_rows(r)]


def _visible(request: Request):
    user = request.user
    if user.role not in permissions.PAGE_ROLES:
        raise PermissionDenied("民生实事项目只对本级人大、政府部门和代表开放")
    # A city sees its districts' rounds too; a district only its own.
    return ProjectRound.objects.filter(Q(congress_id=user.congress_id) | Q(congress__parent_id=user.congress_id)
                                       ).select_related("congress")


class RoundListView(generics.ListAPIView):
    serializer_class = RoundSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return _visible(self.request).order_by("-year", "congress_id")

    @extend_schema(summary="民生实事项目票决年度列表", responses={200: RoundSerializer(many=True),
                                                            **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class RoundDetailView(generics.RetrieveAPIView):
    serializer_class = RoundDetailSerializer

    def get_object(self) -> ProjectRound:
        return get_object_or_404(_visible(self.request), pk=self.kwargs["pk"])

    @extend_schema(summary="民生实事项目：候选项目、票决结果与实施进度",
                   responses={200: RoundDetailSerializer, **errors(401, 403, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
