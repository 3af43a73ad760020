"""Legislation under /api/v1/legislation/: the registry (regulations, their versions and the current
text article by article) and the comment periods with their counts. Reads only, for the accounts
that see the working pages (permissions.may_see_legislation); writes go through the pages."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lvzhi.api.serializers import FilterText
from lvzhi.api.views import LIST_ERRORS, Pagination, errors
from lvzhi.legislation.choices import RegulationStatus
from lvzhi.legislation.comment_models import Channel, CommentPeriod, Outcome
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.permissions import may_see_legislation


def _check(request: Request) -> None:
    if not may_see_legislation(request.user):
        raise PermissionDenied("立法工作数据只对常委会各委员会、办事机构和主任会议开放")


class VersionSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = RegulationVersion
        fields = ["id", "action", "action_label", "adopted_on", "decision", "approved_on", "gazette_issue",
                  "gazette_on", "website_on", "newspaper", "newspaper_on", "effective_on"]


class RegulationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    field_label = serializers.CharField(source="get_field_display")
    versions = serializers.IntegerField(source="n_versions", read_only=True)

    class Meta:
        model = Regulation
        fields = ["id", "title", "field", "field_label", "status", "status_label", "implementing_body",
                  "joint_note", "versions"]


class ArticleSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    chapter = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()


class RegulationDetailSerializer(RegulationSerializer):
    version_list = serializers.SerializerMethodField()
    articles = serializers.SerializerMethodField()

    class Meta(RegulationSerializer.Meta):
        fields = [*RegulationSerializer.Meta.fields, "version_list", "articles"]

    def get_version_list(self, reg: Regulation) -> list[dict]:
        return VersionSerializer(reg.versions.order_by("adopted_on", "pk"), many=True).data

    def get_articles(self, reg: Regulation) -> list[dict]:
        current = reg.current
        return ArticleSerializer(current.parsed().articles if current else [], many=True).data


class FilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RegulationStatus.choices, required=False,
                                     error_messages={"invalid_choice": "状态“{input}”不存在"})
    q = FilterText(required=False, max_length=50, allow_blank=True,
                   error_messages={"max_length": "检索词不能超过50个字"})


class RegulationListView(generics.ListAPIView):
    serializer_class = RegulationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        _check(self.request)
        f = FilterSerializer(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        qs = Regulation.objects.filter(congress_id=self.request.user.congress_id).annotate(n_versions=Count("versions"))
        if f.validated_data.get("status"):
            qs = qs.filter(status=f.validated_data["status"])
        if f.validated_data.get("q", "").strip():
            qs = qs.filter(title__icontains=f.validated_data["q"].strip())
        return qs.order_by("title", "pk")

    @extend_schema(summary="地方性法规列表",
                   responses={200: RegulationSerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class RegulationDetailView(generics.RetrieveAPIView):
    serializer_class = RegulationDetailSerializer

    def get_object(self) -> Regulation:
        _check(self.request)
        qs = Regulation.objects.filter(congress_id=self.request.user.congress_id).annotate(n_versions=Count("versions"))
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    @extend_schema(summary="地方性法规：各版本与现行文本（逐条）",
                   responses={200: RegulationDetailSerializer, **errors(401, 403, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class PeriodSerializer(serializers.ModelSerializer):
    draft = serializers.CharField(source="draft.__str__")
    regulation = serializers.CharField(source="draft.bill.regulation.title")
    state_label = serializers.CharField(source="get_state_display")
    by_channel = serializers.SerializerMethodField()
    by_outcome = serializers.SerializerMethodField()

    class Meta:
        model = CommentPeriod
        fields = ["id", "regulation", "draft", "opens_on", "closes_on", "state", "state_label", "by_channel",
                  "by_outcome"]

    def get_by_channel(self, p: CommentPeriod) -> dict[str, int]:
        return {c.label: getattr(p, f"n_{c.value}") for c in Channel}

    def get_by_outcome(self, p: CommentPeriod) -> dict[str, int]:
        return {"待研究": p.n_pending, **{o.label: getattr(p, f"o_{o.value}") for o in Outcome}}


class CommentPeriodListView(generics.ListAPIView):
    serializer_class = PeriodSerializer
    pagination_class = Pagination

    def get_queryset(self):
        _check(self.request)
        counts = {f"n_{c.value}": Count("comments", filter=Q(comments__channel=c.value)) for c in Channel}
        counts |= {f"o_{o.value}": Count("comments", filter=Q(comments__outcome=o.value)) for o in Outcome}
        counts["n_pending"] = Count("comments", filter=Q(comments__outcome=""))
        return (CommentPeriod.objects.filter(congress_id=self.request.user.congress_id)
                .select_related("draft__bill__regulation").annotate(**counts).order_by("-opens_on", "-pk"))

    @extend_schema(summary="法规草案征求意见：各期及意见数（按渠道、按办理结果）",
                   responses={200: PeriodSerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
