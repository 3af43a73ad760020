"""预算联网监督 under /api/v1/budget/: the imports (what came in when, which revision is current), the
departments with their spending progress, the warnings with their state, the 专项监督报告. Reads
only, each for the accounts its page is for (lvzhi.budget.permissions); a warning's transitions go
through the shared /api/v1/cases/{id}/transitions/ like every kind's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lvzhi.api.views import LIST_ERRORS, Pagination, errors, positive_int
from lvzhi.budget import permissions, selectors
from lvzhi.budget.models import BudgetImport, SupervisionReport
from lvzhi.budget.workflow import rule_label
from lvzhi.cases.models import Case

YEAR = OpenApiParameter("year", int, description="预算年度，缺省为有执行数据的最近年度")
MONTH = OpenApiParameter("month", int, description="截至月份（1—12），缺省为该年度有执行数据的最近月份")


def _need(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


class ImportSerializer(serializers.ModelSerializer):
    dataset_label = serializers.CharField(source="get_dataset_display")
    by = serializers.CharField(source="by.display_name")

    class Meta:
        model = BudgetImport
        fields = ["id", "dataset", "dataset_label", "year", "month", "source", "revision", "is_current", "digest",
                  "rows", "total", "filename", "by", "at", "superseded_at", "note"]


class ImportListView(generics.ListAPIView):
    serializer_class = ImportSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[BudgetImport]:
        user = self.request.user
        # Who imported what, and each correction's note: the import history is the 预算工委's, as on its pages.
        _need(permissions.may_import(user), "预算数据导入记录只对预算工委开放")
        qs = BudgetImport.objects.filter(congress_id=user.congress_id).select_related("by")
        year = positive_int(self.request.query_params, "year", "年度")
        if year:
            qs = qs.filter(year=year)
        if self.request.query_params.get("current") in ("1", "true"):
            qs = qs.filter(is_current=True)
        return qs.order_by("-at", "-id")

    @extend_schema(summary="预算数据导入记录（含历次更正版本）",
                   parameters=[OpenApiParameter("year", int, description="预算年度"),
                               OpenApiParameter("current", bool, description="只列当前版本")],
                   responses={200: ImportSerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class DepartmentSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="部门编码")
    name = serializers.CharField(help_text="部门名称")
    budget = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="预算数（万元）")
    spent = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="累计支出（万元）")
    progress = serializers.FloatField(allow_null=True, help_text="执行进度（%）")
    gap = serializers.FloatField(allow_null=True, help_text="与序时进度之差（百分点，负数为落后）")


class DepartmentList(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    time_progress = serializers.FloatField(help_text="序时进度（%）")
    results = DepartmentSerializer(many=True)


def _period(request: Request) -> tuple[int, int]:
    cid = request.user.congress_id
    year = positive_int(request.query_params, "year", "年度")
    if year is None:
        years = selectors.years(cid)
        year = years[0] if years else 0
    month = positive_int(request.query_params, "month", "月份")
    if month is not None and month > 12:
        raise ValidationError({"month": ["月份应为1至12"]})
    return year, month if month is not None else selectors.latest_month(cid, year)


class DepartmentListView(APIView):
    @extend_schema(summary="部门预算执行进度（由慢到快）", parameters=[YEAR, MONTH],
                   responses={200: DepartmentList, **errors(400, 401, 403)})
    def get(self, request: Request) -> Response:
        _need(permissions.may_read_analysis(request.user), "预算数据只对代表、各委员会、主任会议和预算工委开放")
        year, month = _period(request)
        rows = selectors.departments(request.user.congress_id, year, month) if year else []
        data = {"year": year, "month": month, "time_progress": selectors.time_progress(month),
                "results": [{"code": r.code, "name": r.name, "budget": r.budget, "spent": r.spent,
                             "progress": r.progress, "gap": r.gap} for r in rows]}
        return Response(DepartmentList(data).data)


class WarningSerializer(serializers.ModelSerializer):
    state_label = serializers.SerializerMethodField()
    rule = serializers.CharField(source="budget_warning_detail.rule")
    rule_label = serializers.SerializerMethodField()
    year = serializers.IntegerField(source="budget_warning_detail.year")
    month = serializers.IntegerField(source="budget_warning_detail.month")
    unit = serializers.CharField(source="budget_warning_detail.unit.name", default=None)
    unit_code = serializers.CharField(source="budget_warning_detail.unit.code", default=None)
    measured = serializers.DecimalField(source="budget_warning_detail.measured", max_digits=18, decimal_places=2,
                                        allow_null=True)
    threshold = serializers.DecimalField(source="budget_warning_detail.threshold", max_digits=18, decimal_places=2,
                                         allow_null=True)
    basis = serializers.CharField(source="budget_warning_detail.basis")
    pushed_to = serializers.CharField(source="budget_warning_detail.pushed_to.name", default=None)

    class Meta:
        model = Case
        fields = ["id", "number", "title", "state", "state_label", "rule", "rule_label", "year", "month", "unit",
                  "unit_code", "measured", "threshold", "basis", "pushed_to", "submitted_at", "closed_at"]

    def get_state_label(self, case: Case) -> str:
        from lvzhi.budget.states import LABELS

        return LABELS.get(case.state, case.state)

    def get_rule_label(self, case: Case) -> str:
        return rule_label(case.budget_warning_detail.rule)


class WarningListView(generics.ListAPIView):
    serializer_class = WarningSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Case]:
        from lvzhi.budget.warnings import visible_warnings

        user = self.request.user
        _need(permissions.may_read_warnings(user), "您无权查看预算预警")
        qs = visible_warnings(user)
        params = self.request.query_params
        for name, field in (("state", "state"), ("rule", "budget_warning_detail__rule"),
                            ("unit", "budget_warning_detail__unit__code")):
            if params.get(name):
                qs = qs.filter(**{field: params[name]})
        year = positive_int(params, "year", "年度")
        if year:
            qs = qs.filter(budget_warning_detail__year=year)
        return qs

    @extend_schema(summary="预算预警列表（含状态）",
                   parameters=[OpenApiParameter("state", str, description="状态：raised/pushed/answered/dismissed/"
                                                                          "closed/lifted"),
                               OpenApiParameter("rule", str, description="预警规则代码"),
                               OpenApiParameter("unit", str, description="部门编码"),
                               OpenApiParameter("year", int, description="预算年度")],
                   responses={200: WarningSerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ReportSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.display_name")
    download = serializers.SerializerMethodField(help_text="Word稿下载地址（网页登录后下载）")

    class Meta:
        model = SupervisionReport
        fields = ["id", "title", "start", "end", "by", "at", "figures", "download"]

    def get_download(self, r: SupervisionReport) -> str:
        from django.urls import reverse

        return reverse("budget:report_download", args=[r.pk])


class ReportListView(generics.ListAPIView):
    serializer_class = ReportSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[SupervisionReport]:
        user = self.request.user
        _need(permissions.may_read_reports(user), "专项监督报告只对预算工委、财经委和主任会议开放")
        return SupervisionReport.objects.filter(congress_id=user.congress_id).select_related("by")

    @extend_schema(summary="专项监督报告列表（含起草时的数字）",
                   responses={200: ReportSerializer(many=True), **errors(*LIST_ERRORS, 403)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


# Included at /api/v1/budget/ by lvzhi/api/urls.py (in its "api" namespace).
urlpatterns = [
    path("imports/", ImportListView.as_view(), name="budget-import-list"),
    path("departments/", DepartmentListView.as_view(), name="budget-department-list"),
    path("warnings/", WarningListView.as_view(), name="budget-warning-list"),
    path("reports/", ReportListView.as_view(), name="budget-report-list"),
]
