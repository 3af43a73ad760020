"""Meetings under /api/v1/meetings/: the list, and one meeting with its agenda, attendance counts,
materials (versions, late or on time) and each vote's result. Reads only, for the accounts that
see the meeting's page (permissions.may_see); materials' pages and notes stay on the pages."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lvzhi.api.views import LIST_ERRORS, Pagination, errors
from lvzhi.core.models import Role
from lvzhi.meetings import permissions
from lvzhi.meetings.models import AgendaItem, ItemVote, MaterialVersion, Meeting, MeetingType, ParticipantRole


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    meeting_type_label = serializers.CharField(source="get_meeting_type_display")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Meeting
        fields = ["id", "title", "meeting_type", "meeting_type_label", "number", "starts_on", "ends_on", "place",
                  "state", "state_label", "members_total"]


class VoteSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    pass_rule_label = serializers.CharField(source="get_pass_rule_display")
    nominee = serializers.SerializerMethodField()

    class Meta:
        model = ItemVote
        fields = ["id", "subject", "secret", "paper", "state", "state_label", "pass_rule", "pass_rule_label",
                  "members_total", "present", "tally", "passed", "nominee"]

    def get_nominee(self, v: ItemVote) -> dict | None:
        n = v.nominee
        if n is None:
            return None
        return {"name": n.name, "post": n.post, "action": n.action, "action_label": n.get_action_display(),
                "organ": n.organ, "oath_on": n.oath_on, "oath_administered_by": n.oath_administered_by}


class ItemSerializer(serializers.ModelSerializer):
    item_type_label = serializers.CharField(source="get_item_type_display")
    confidentiality_label = serializers.CharField(source="get_confidentiality_display")
    materials = serializers.SerializerMethodField()
    votes = VoteSerializer(many=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "item_type", "item_type_label", "rapporteur", "confidentiality",
                  "confidentiality_label", "named_vote", "topic_id", "opinion_id", "reading_id", "deliberated",
                  "materials", "votes"]

    def get_materials(self, item: AgendaItem) -> list[dict]:
        out = []
        for m in item.materials.all():
            versions = sorted(m.versions.all(), key=lambda v: v.number)
            out.append({"id": m.pk, "title": m.title, "versions": [
                {"number": v.number, "file_kind": v.file_kind, "pages": v.page_count,
                 "distributed_at": v.distributed_at, "due_on": v.due_on, "late": v.late} for v in versions]})
        return out


class MeetingDetailSerializer(MeetingSerializer):
    attendance = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendance", "agenda"]

    def get_attendance(self, m: Meeting) -> dict[str, int]:
        return {"expected": m.n_members, "present": m.n_present, "leave": m.n_leave, "attending": m.n_attending}

    def get_agenda(self, m: Meeting) -> list[dict]:
        versions = Prefetch("materials__versions", MaterialVersion.objects.defer("content"))
        items = m.items.prefetch_related("votes__nominee", "materials", versions).order_by("position")
        return ItemSerializer(items, many=True).data


def _visible(request: Request):
    user = request.user
    if not permissions.may_see_list(user):
        raise PermissionDenied("会议信息只对本次会议的参会人员、办公厅和主任会议开放")
    qs = Meeting.objects.filter(congress_id=user.congress_id).select_related("congress")
    if not (permissions.is_office(user) or user.role == Role.LEADER):
        qs = qs.filter(participants__user=user)
    return qs


class TypeFilter(serializers.Serializer):
    meeting_type = serializers.ChoiceField(choices=MeetingType.choices, required=False,
                                           error_messages={"invalid_choice": "会议类型“{input}”不存在"})


class MeetingListView(generics.ListAPIView):
    serializer_class = MeetingSerializer
    pagination_class = Pagination

    def get_queryset(self):
        f = TypeFilter(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        qs = _visible(self.request)
        if f.validated_data.get("meeting_type"):
            qs = qs.filter(meeting_type=f.validated_data["meeting_type"])
        return qs.order_by("-starts_on", "-pk")

    @extend_schema(summary="会议列表", responses={200: MeetingSerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class MeetingDetailView(generics.RetrieveAPIView):
    serializer_class = MeetingDetailSerializer

    def get_object(self) -> Meeting:
        member = Q(participants__role=ParticipantRole.MEMBER)
        qs = Meeting.objects.filter(pk__in=_visible(self.request).values("pk")).select_related("congress").annotate(
            n_members=Count("participants", filter=member),
            n_present=Count("participants", filter=member & Q(participants__signed_in_at__isnull=False)),
            n_leave=Count("participants", filter=member & Q(participants__on_leave=True)),
            n_attending=Count("participants", filter=Q(participants__role=ParticipantRole.ATTENDEE)))
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    @extend_schema(summary="会议：议程、出席、材料与表决结果",
                   responses={200: MeetingDetailSerializer, **errors(401, 403, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
