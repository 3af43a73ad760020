"""The REST API, /api/v1/. Thin: parse the request, call visible_cases / create_draft / fire,
render. Every refusal comes from the engine and leaves as {"detail", "errors"} (errors.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import Http404, QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lvzhi.api import selectors
from lvzhi.api.serializers import (
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
    DeputySerializer,
    DraftRequestSerializer,
    ErrorSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TransitionResultSerializer,
    UnitSerializer,
    describe_fields,
)
from lvzhi.cases.engine import available, fire
from lvzhi.cases.kinds import all_kinds, get_kind
from lvzhi.cases.models import Case, CaseState
from lvzhi.cases.selectors import CaseFilters, filtered_cases, with_list_relations
from lvzhi.cases.workflow import InvalidInput, TransitionForm
from lvzhi.core import otp
from lvzhi.suggestions.services import create_draft

ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in [
    (400, "输入有误（中文说明及字段错误）"), (401, "未登录或令牌无效"), (403, "无权执行"),
    (404, "不存在或不在您的查看范围内"), (409, "案件当前状态不允许该操作")]}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {c: ERRORS[c] for c in codes}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


# -------------------------------------------------------------------------------- token

def lockout_message() -> str:
    minutes = int(float(settings.AXES_COOLOFF_TIME or 0) * 60)
    wait = f"请{minutes}分钟后再试，" if minutes else ""
    return f"登录失败次数过多，账户已临时锁定，{wait}或联系安全管理员解锁。"


class TokenView(APIView):
    """Exchange a username and password for an API token (Authorization: Token <token>)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer, **errors(400, 403)},
                   auth=[], summary="获取接口令牌")
    def post(self, request: Request) -> Response:
        s = TokenRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        # django-axes needs the request: it counts failures per username and refuses a locked
        # account before the password is even checked. It flags the DRF request it was given,
        # so AxesMiddleware leaves this JSON answer alone.
        user = authenticate(request=request, username=s.validated_data["username"],
                            password=s.validated_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": lockout_message(), "errors": {}},
                                status=status.HTTP_403_FORBIDDEN)
            msg = "用户名或密码错误"
            return Response({"detail": msg, "errors": {"__all__": [msg]}},
                            status=status.HTTP_400_BAD_REQUEST)
        # With an authenticator app enrolled, a token also needs the current code.
        if otp.has_device(user) and otp.verify(user, str(request.data.get("otp", ""))) is None:
            msg = "该账户已启用动态验证码，请同时提交 otp（验证器中的6位数字）"
            return Response({"detail": msg, "errors": {"otp": [msg]}}, status=status.HTTP_400_BAD_REQUEST)
        # A token is a login: record last_login and let axes reset the failure count.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


# -------------------------------------------------------------------------------- cases

def form_payload(data: Any, form_class: type[TransitionForm] | None) -> Any:
    """Hand the body to a Django form as it expects it. Form-encoded and multipart bodies are
    already QueryDicts; in JSON, a true/false for a yes/no choice ("1"/"0") becomes "1"/"0"."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput("请求内容应为 JSON 对象（字段名 → 值）")
    fields = form_class.base_fields if form_class else {}
    out = {}
    for key, value in data.items():
        f = fields.get(key)
        if isinstance(value, bool) and f is not None and not isinstance(f, forms.BooleanField):
            value = "1" if value else "0"
        out[key] = value
    return out


def detail_response(request: Request, case: Case) -> dict[str, Any]:
    ctx = {"request": request, "today": timezone.localdate(),
           "warn_days": selectors.warn_days_for([case.congress_id]),
           "available": available(case, request.user)}
    return CaseDetailSerializer(case, context=ctx).data


class CaseListView(generics.ListCreateAPIView):
    pagination_class = Pagination

    def get_serializer_class(self):
        return CaseListSerializer if self.request.method == "GET" else DraftRequestSerializer

    def get_queryset(self):
        f = CaseFilterSerializer(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        filters = CaseFilters(kind=d.get("kind", ""), states=d.get("state", []), category=d.get("category", ""),
                              unit=d.get("unit"), q=d.get("q", ""), key=d.get("is_key"))
        return with_list_relations(filtered_cases(self.request.user, filters))

    @extend_schema(parameters=[CaseFilterSerializer], summary="案件列表（仅含您有权查看的）",
                   responses={200: CaseListSerializer(many=True), **errors(400, 401)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        ctx = {"request": request, "today": timezone.localdate(),
               "warn_days": selectors.warn_days_for({c.congress_id for c in page})}
        return self.get_paginated_response(CaseListSerializer(page, many=True, context=ctx).data)

    @extend_schema(request=DraftRequestSerializer, summary="代表起草议案建议（草稿）",
                   responses={201: CaseDetailSerializer, **errors(400, 401, 403)})
    def post(self, request: Request, *args, **kwargs) -> Response:
        case = create_draft(request.user, form_payload(request.data, None))
        return Response(detail_response(request, selectors.detail_case(request.user, case.pk)),
                        status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(responses={200: CaseDetailSerializer, **errors(401, 404)}, summary="案件详情")
    def get(self, request: Request, pk: int) -> Response:
        return Response(detail_response(request, selectors.detail_case(request.user, pk)))


def transitions_doc() -> str:
    """The transition table of every registered kind, for the schema's description."""
    lines = ["按案件类型列出的操作及其参数（参数校验由引擎的表单完成）。"
             "`available_transitions` 给出您此刻可执行的操作。\n"]
    for kind in all_kinds():
        lines.append(f"\n**{kind.label}（{kind.code}）**\n")
        for t in kind.workflow.transitions.values():
            fields = "，".join(f"`{f['name']}`{'*' if f['required'] else ''}（{f['label']}）"
                              for f in describe_fields(t)) or "无参数"
            lines.append(f"- `{t.name}` {t.label}：{fields}")
    return "\n".join(lines)


class TransitionView(APIView):
    @extend_schema(
        summary="执行案件操作（流转）",
        description=transitions_doc(),
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="操作名，如 submit、register、assign、draft_reply")],
        request={"application/json": OpenApiTypes.OBJECT,
                 "multipart/form-data": OpenApiTypes.OBJECT,
                 "application/x-www-form-urlencoded": OpenApiTypes.OBJECT},
        responses={200: TransitionResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        case = selectors.visible_cases(request.user).filter(pk=pk).first()
        if case is None:
            raise Http404("未找到该案件，或您无权查看")
        t = get_kind(case.kind).workflow.transitions.get(name)  # unknown: fire() answers 404
        result = fire(case.pk, name, request.user, form_payload(request.data, t and t.form),
                      request.FILES)
        state = result.case.state
        try:  # after e.g. declining to co-sign, the case is no longer the caller's to see
            body = detail_response(request, selectors.detail_case(request.user, pk))
        except Http404:
            body = None
        return Response({"state": state, "state_label": CaseState(state).label, "case": body})


# --------------------------------------------------------------------- reference data

class MeView(APIView):
    """Who the token belongs to, so a client knows which screens to offer."""

    @extend_schema(responses={200: MeSerializer, **errors(401)}, summary="当前用户")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class UnitListView(generics.ListAPIView):
    """Active handling units of the caller's congress (for assigning and filtering)."""

    serializer_class = UnitSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.units_of(self.request.user)

    @extend_schema(summary="承办单位列表")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class DeputyListView(generics.ListAPIView):
    """Active deputies of the caller's congress: id, name, delegation (no personal data)."""

    serializer_class = DeputySerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.deputies_of(self.request.user, self.request.query_params.get("q", "").strip())

    @extend_schema(summary="代表列表（选择附议代表）", parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="姓名或代表团包含的文字")])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
