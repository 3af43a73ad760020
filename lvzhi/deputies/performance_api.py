"""A deputy's 履职档案 under /api/v1/deputies/{id}/record/?year=: the same record and the same
permission as the page (performance_permissions.may_read). Read only; computed, never stored."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lvzhi.api.views import errors
from lvzhi.deputies import performance
from lvzhi.deputies.models import Deputy
from lvzhi.deputies.performance_permissions import may_read


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100,
                                    error_messages={"invalid": "年度须为数字", "min_value": "年度不能早于2000年",
                                                    "max_value": "年度不能晚于2100年"})


class RecordView(APIView):
    @extend_schema(summary="代表履职档案（按年度，含履职提示）",
                   parameters=[OpenApiParameter("year", int, description="年度，默认今年")],
                   responses={200: dict, **errors(400, 401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        f = YearSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        deputy = get_object_or_404(Deputy, pk=pk)
        if not may_read(request.user, deputy):
            raise PermissionDenied("只有代表本人、代表工委和主任会议可以查看代表履职档案")
        year = f.validated_data.get("year") or timezone.localdate().year
        r = performance.record(deputy, year)
        return Response({
            "deputy": {"id": deputy.pk, "name": deputy.name}, "year": year, "total": r.counted(),
            "hours": str(r.hours), "absences": r.absences, "flags": r.flags,
            "sections": [{"code": s.source.code, "label": s.source.label, "count": s.done,
                          "entries": [{"on": e.on.isoformat(), "title": e.title, "url": e.url, "hours": str(e.hours),
                                       "absent": e.absent} for e in s.entries]} for s in r.sections],
        })
