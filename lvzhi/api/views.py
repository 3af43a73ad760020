"""The REST API, /api/v1/. Thin: parse the request, call visible_cases / open_case / fire,
render. No kind is named here: kinds, their states, transitions and opening forms come from the
registry (lvzhi.cases.kinds). Every refusal comes from the engine or the permission policy and
leaves as {"detail", "errors"} (errors.py)."""

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
from lvzhi.api.fields import describe_fields, summarize_form
from lvzhi.api.serializers import (
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
    DeputySerializer,
    ErrorSerializer,
    KindSerializer,
    MeSerializer,
    OpenCaseRequestSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TransitionResultSerializer,
    UnitSerializer,
)
from lvzhi.cases.engine import build_form, fire, open_case
from lvzhi.cases.kinds import CaseKind, all_kinds, get_kind
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import may_open, relation_label
from lvzhi.cases.policy import offered
from lvzhi.cases.selectors import CaseFilters, filtered_cases, with_list_relations
from lvzhi.cases.workflow import InvalidInput, NotAllowed, Transition, TransitionForm
from lvzhi.core import otp
from lvzhi.core.models import User

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
    """The detail, with what the pages would offer this user (policy.offered), each transition's
    form built for this case and user so its choices are the caller's own."""
    user = request.user
    ctx = {"request": request, "today": timezone.localdate(),
           "warn_days": selectors.warn_days_for([case.congress_id]),
           "available": [(t, build_form(case, t, user)) for t in offered(case, user)]}
    return CaseDetailSerializer(case, context=ctx).data


# ------------------------------------------------------------------------ kinds, opening

OPEN = "open"  # the opening transition a raiser fires (sources {""}); others are the office's


def opening(kind: CaseKind) -> Transition | None:
    return kind.workflow.transitions.get(OPEN)


def kind_codes() -> str:
    return "、".join(f"{k.code}（{k.label}）" for k in all_kinds())


def open_form_for(kind: CaseKind, user: User) -> TransitionForm | None:
    """The opening form as fire() builds it: on the not-yet-saved case of the caller's congress."""
    t = opening(kind)
    if t is None:
        return None
    return build_form(Case(congress_id=user.congress_id, kind=kind.code, state=""), t, user)


def kind_data(kind: CaseKind, user: User) -> dict[str, Any]:
    form = open_form_for(kind, user)
    return {
        "code": kind.code, "label": kind.label,
        "states": [{"code": s.code, "label": s.label, "terminal": s.terminal} for s in kind.states],
        "transitions": [{"name": t.name, "label": t.label, "sources": sorted(t.sources), "target": t.target,
                         "actors": [{"relation": a, "label": relation_label(kind.code, a)} for a in t.actors]}
                        for t in kind.workflow.transitions.values()],
        "may_open": may_open(user, kind.code),
        "open_fields": describe_fields(form) if form is not None else [],
    }


class KindListView(APIView):
    """Every registered case kind: its states, its transitions and who fires them, and whether
    and how the caller may raise one. A client needs nothing else to drive a case."""

    @extend_schema(summary="案件类型：状态、操作及提出方式",
                   description="列出全部已注册的案件类型。`transitions` 为完整流程表（`actors` 为可执行的关系）；"
                               "`may_open` 表示您能否提出该类案件，`open_fields` 为提出时的字段，"
                               "其可选值（`choices`）已按您的权限限定。",
                   responses={200: KindSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        return Response([kind_data(k, request.user) for k in all_kinds()])


def open_payload(data: Any) -> tuple[str, Any]:
    """Split the body of POST /cases/ into the kind and its fields; the fields may also come
    nested under "detail" (nested wins)."""
    if isinstance(data, QueryDict):  # form-encoded or multipart: repeated keys stay lists
        body = QueryDict(mutable=True)
        for key in data:
            if key not in ("kind", "detail"):
                body.setlist(key, data.getlist(key))
        return str(data.get("kind") or ""), body
    if not isinstance(data, Mapping):
        raise InvalidInput("请求内容应为 JSON 对象（字段名 → 值）")
    nested = data.get("detail") or {}
    if not isinstance(nested, Mapping):
        msg = "detail 应为 JSON 对象（该类型的字段名 → 值）"
        raise InvalidInput(msg, {"detail": [msg]})
    body = {k: v for k, v in data.items() if k not in ("kind", "detail")}
    body.update(nested)
    body.pop("kind", None)
    return str(data.get("kind") or ""), body


def open_doc() -> str:
    lines = ["提出一件案件：`kind` 为案件类型代码，其余为该类型的字段（可放在顶层，或放在 `detail` 中，"
             "两处都有时以 `detail` 为准）。字段及可选值见 `GET /api/v1/kinds/` 的 `open_fields`。\n"]
    for kind in all_kinds():
        t = opening(kind)
        if t is not None:
            lines.append(f"- `{kind.code}` {kind.label}：{summarize_form(t.form)}")
    return "\n".join(lines)


class CaseListView(generics.ListCreateAPIView):
    pagination_class = Pagination

    def get_serializer_class(self):
        return CaseListSerializer if self.request.method == "GET" else OpenCaseRequestSerializer

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

    @extend_schema(
        summary="提出案件（任一您可提出的类型）", description=open_doc(),
        request={"application/json": OpenCaseRequestSerializer,
                 "multipart/form-data": OpenCaseRequestSerializer,
                 "application/x-www-form-urlencoded": OpenCaseRequestSerializer},
        responses={201: CaseDetailSerializer, **errors(400, 401, 403)})
    def post(self, request: Request, *args, **kwargs) -> Response:
        code, body = open_payload(request.data)
        kind = next((k for k in all_kinds() if k.code == code), None)
        if kind is None:
            msg = (f"没有案件类型“{code}”" if code else "请指明案件类型 kind") + f"，可选：{kind_codes()}"
            raise InvalidInput(msg, {"kind": [msg]})
        t = opening(kind)
        if t is None:
            raise NotAllowed(f"{kind.label}不能通过接口提出")
        user = request.user
        if not may_open(user, kind.code):
            who = "、".join(relation_label(kind.code, a) for a in t.actors)
            raise NotAllowed(f"您无权提出{kind.label}：{kind.label}由{who}提出")
        case = open_case(kind.code, t.name, user, form_payload(body, t.form), request.FILES,
                         congress_id=user.congress_id).case
        return Response(detail_response(request, selectors.detail_case(user, case.pk)),
                        status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(responses={200: CaseDetailSerializer, **errors(401, 404)}, summary="案件详情")
    def get(self, request: Request, pk: int) -> Response:
        return Response(detail_response(request, selectors.detail_case(request.user, pk)))


def transitions_doc() -> str:
    """The transition table of every registered kind, for the schema's description."""
    lines = ["按案件类型列出的操作及其参数（参数校验由引擎的表单完成）。"
             "`available_transitions` 给出您此刻可执行的操作，"
             "每个字段附可选值（`choices`）和默认值（`default`）。\n"]
    for kind in all_kinds():
        lines.append(f"\n**{kind.label}（{kind.code}）**\n")
        for t in kind.workflow.transitions.values():
            lines.append(f"- `{t.name}` {t.label}：{summarize_form(t.form)}")
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
        return Response({"state": state, "state_label": get_kind(result.case.kind).state_label(state), "case": body})


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
