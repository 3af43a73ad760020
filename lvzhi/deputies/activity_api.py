"""Duty activities under /api/v1/deputies/activities/: the activities the caller may open (the
same visibility as the pages, activity_permissions.visible), each with its deputies' attendance
and confirmation. Reads only; writes go through the pages and activity_services."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lvzhi.api.serializers import FilterText
from lvzhi.api.views import LIST_ERRORS, Pagination, errors
from lvzhi.deputies.activity_models import ROLL_ORDER, Activity, ActivityKind, Participation
from lvzhi.deputies.activity_permissions import READERS, deputy_of, visible


class ParticipationSerializer(serializers.ModelSerializer):
    deputy = serializers.CharField(source="deputy.name")
    attendance_label = serializers.CharField(source="get_attendance_display")
    confirmation_label = serializers.CharField(source="get_confirmation_display")

    class Meta:
        model = Participation
        fields = ["id", "deputy_id", "deputy", "attendance", "attendance_label", "leave_reason", "confirmation",
                  "confirmation_label", "dispute"]


class ActivitySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    organiser = serializers.CharField(source="organiser.name", default="")
    counts = serializers.BooleanField(read_only=True)
    participations = ParticipationSerializer(many=True, source="shown")

    class Meta:
        model = Activity
        fields = ["id", "kind", "kind_label", "title", "held_on", "place", "hours", "summary", "organiser",
                  "self_reported", "checked_at", "counts", "participations"]


class FilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False,
                                   error_messages={"invalid_choice": "活动类型“{input}”不存在"})
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100,
                                    error_messages={"invalid": "年度须为数字", "min_value": "年度不能早于2000年",
                                                    "max_value": "年度不能晚于2100年"})
    q = FilterText(required=False, max_length=50, allow_blank=True,
                   error_messages={"max_length": "检索词不能超过50个字"})


def _queryset(request: Request):
    user = request.user
    if user.role not in READERS:
        raise PermissionDenied("履职活动只对代表、常委会各委员会、办事机构和主任会议开放")
    deputy = deputy_of(user)
    # a deputy reads only his or her own line of each activity, as on the page
    shown = Participation.objects.select_related("deputy").order_by(ROLL_ORDER, "id")
    if deputy is not None:
        shown = shown.filter(deputy=deputy)
    return (Activity.objects.filter(visible(user)).distinct().select_related("organiser")
            .prefetch_related(Prefetch("participations", queryset=shown, to_attr="shown")))


class ActivityListView(generics.ListAPIView):
    serializer_class = ActivitySerializer
    pagination_class = Pagination

    def get_queryset(self):
        f = FilterSerializer(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        qs = _queryset(self.request)
        data = f.validated_data
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("year"):
            qs = qs.filter(held_on__year=data["year"])
        if data.get("q", "").strip():
            qs = qs.filter(title__icontains=data["q"].strip())
        return qs.order_by("-held_on", "-id")

    @extend_schema(summary="履职活动列表（含参加代表的出勤与确认）",
                   responses={200: ActivitySerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ActivityDetailView(generics.RetrieveAPIView):
    serializer_class = ActivitySerializer

    def get_object(self) -> Activity:
        return get_object_or_404(_queryset(self.request), pk=self.kwargs["pk"])

    @extend_schema(summary="履职活动", responses={200: ActivitySerializer, **errors(401, 403, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
