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
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from lvzhi.api import selectors
from lvzhi.api.fields import RESERVED, describe_fields, summarize_form
from lvzhi.api.serializers import (
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
    DeputyFilterSerializer,
    DeputySerializer,
    ErrorSerializer,
    KindSerializer,
    MeSerializer,
    OpenCaseRequestSerializer,
    TokenRequestSerializer,
    TransitionResultSerializer,
    UnitSerializer,
)
from lvzhi.cases.deadlines import Lights
from lvzhi.cases.engine import build_form, fire, open_case
from lvzhi.cases.filters import CaseFilters, filtered_cases, narrowed_cases
from lvzhi.cases.kinds import CaseKind, all_kinds, get_kind
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import may_open, relation_label
from lvzhi.cases.policy import offered, offered_forms
from lvzhi.cases.selectors import (
    LIST_COUNT_CAP,
    InvalidCursor,
    KeysetPage,
    count_cases,
    keyset_page,
    with_list_relations,
)
from lvzhi.cases.workflow import ID_MAX, InvalidInput, NotAllowed, Transition, TransitionForm
from lvzhi.core import otp, passwords, throttle, tokens
from lvzhi.core.models import User

ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in [
    (400, "输入有误（中文说明及字段错误）"), (401, "未登录或令牌无效"), (403, "无权执行"),
    (404, "不存在或不在您的查看范围内"), (409, "案件当前状态不允许该操作"),
    (415, "请求体格式不受支持（请用 JSON、表单或 multipart）"),
    (503, "系统繁忙（并发冲突重试后仍未成功），操作未生效，请稍后重试")]}
# A paginated list: 404 for a page past the last one (an empty list is page 1, never a 404).
LIST_ERRORS = (400, 401, 404)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {c: ERRORS[c] for c in codes}


def positive_int(params: QueryDict, name: str, label: str) -> int | None:
    """A query parameter that must be a positive integer, or absent; anything else is a 400
    (a page number beyond 64 bits included: it could never name a page)."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= ID_MAX:
        msg = f"{label}应为正整数"
        raise ValidationError({name: [msg]})
    return int(raw)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return request.query_params[self.page_query_param]
        return positive_int(request.query_params, self.page_query_param, "页码") or 1

    def get_page_size(self, request):
        size = positive_int(request.query_params, self.page_size_query_param, "每页条数")
        return min(size, self.max_page_size) if size else self.page_size


# -------------------------------------------------------------------------------- token

def lockout_message() -> str:
    minutes = int(float(settings.AXES_COOLOFF_TIME or 0) * 60)
    wait = f"请{minutes}分钟后再试，" if minutes else ""
    return f"登录失败次数过多，该账户在您所在网络地址的登录已临时锁定，{wait}或联系安全管理员解锁。"


def refusal(msg: str, code: int, field: str = "__all__", **headers: str) -> Response:
    return Response({"detail": msg, "errors": {field: [msg]} if field else {}}, status=code,
                    headers=headers or None)


ISSUED = inline_serializer("IssuedToken", {
    "token": serializers.CharField(help_text="接口令牌，只在此时显示一次，请妥善保存"),
    "expires_at": serializers.DateTimeField(help_text="到期时间"),
})


class TokenView(APIView):
    """Exchange a username and password (and the TOTP code, once enrolled) for a new API token:
    send it as `Authorization: Token <token>`. Each call issues a new token, shown only in
    this answer (only its digest is stored); it expires (安全策略, 30 days by default) and is
    revoked when the password or role changes, the account is deactivated or an authenticator
    app is enrolled. The owner lists and revokes tokens on the page 我的接口令牌."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={
        200: ISSUED, **errors(400, 403),
        429: OpenApiResponse(ErrorSerializer, description="登录失败次数较多，请按 Retry-After 秒数稍候再试")},
        auth=[], summary="获取接口令牌")
    def post(self, request: Request) -> Response:
        s = TokenRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        username = s.validated_data["username"]
        # From the 3rd failure of this username from this address, wait before the next try.
        wait = throttle.retry_after(request, username)
        if wait:
            return refusal(throttle.delay_message(wait), status.HTTP_429_TOO_MANY_REQUESTS, "",
                           **{"Retry-After": str(wait)})
        # django-axes needs the request: it counts failures per username and address and
        # refuses a locked pair before the password is even checked. It flags the DRF request
        # it was given, so AxesMiddleware leaves this JSON answer alone.
        user = authenticate(request=request, username=username, password=s.validated_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return refusal(lockout_message(), status.HTTP_403_FORBIDDEN, "")
            return refusal("用户名或密码错误", status.HTTP_400_BAD_REQUEST)
        # With an authenticator app enrolled, a token also needs the current code.
        if otp.has_device(user) and otp.verify(user, str(request.data.get("otp", ""))) is None:
            return refusal("该账户已启用动态验证码，请同时提交 otp（验证器中的6位数字）",
                           status.HTTP_400_BAD_REQUEST, "otp")
        # A temporary or expired password is changed on the pages before any API use.
        reason = passwords.change_reason(user)
        if reason:
            return refusal(f"请先修改密码：{passwords.REASON_TEXT[reason]}请在网页登录后按提示修改。",
                           status.HTTP_403_FORBIDDEN)
        # A token is a login: record last_login and let axes reset the failure count.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, key = tokens.issue(user, via="api")
        return Response({"token": key, "expires_at": token.expires_at})


# -------------------------------------------------------------------------------- cases

# Sent by a browser session along with a form; never a field of the transition.
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


def refuse_unknown(keys: Any, form_class: type[TransitionForm]) -> None:
    """A field the form does not have is a 400 naming it, never silently dropped: a client
    that misspells `comment` must not believe its comment was recorded."""
    known = set(form_class.base_fields)
    unknown = sorted(str(k) for k in keys if k not in known and k not in IGNORED_KEYS)
    if unknown:
        allowed = "、".join(sorted(known - RESERVED)) or "无"
        msg = f"没有字段“{unknown[0][:40]}”，该操作可填写的字段：{allowed}"
        raise InvalidInput(msg, {k[:40]: [f"没有字段“{k[:40]}”"] for k in unknown[:20]})


def form_payload(data: Any, form_class: type[TransitionForm] | None) -> Any:
    """Hand the body to a Django form as it expects it. Form-encoded and multipart bodies are
    already QueryDicts; in JSON, a true/false for a yes/no choice ("1"/"0") becomes "1"/"0".
    With no form (an unknown transition) the caller answers 404 before any field matters."""
    if isinstance(data, QueryDict):
        if form_class is not None:
            refuse_unknown(data.keys(), form_class)
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput("请求内容应为 JSON 对象（字段名 → 值）")
    if form_class is not None:
        refuse_unknown(data.keys(), form_class)
    fields = form_class.base_fields if form_class else {}
    out = {}
    for key, value in data.items():
        f = fields.get(key)
        if f is not None:
            check_shape(key, value, f)
        if isinstance(value, bool) and f is not None and not isinstance(f, forms.BooleanField):
            value = "1" if value else "0"
        out[key] = value
    return out


MANY = (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)


def check_shape(key: str, value: Any, f: forms.Field) -> None:
    """A JSON value of a shape no form field reads is a 400, not text: an object is never a
    field's value, and a list only for a field taking several values."""
    label = f.label or key
    if isinstance(value, Mapping):
        msg = f"“{label}”应为文本、数字或是否，不能是对象"
    elif isinstance(value, list) and not isinstance(f, MANY):
        msg = f"“{label}”只能填一个值，不能是列表"
    elif isinstance(f, MANY) and value not in (None, "") and not isinstance(value, list):
        msg = f"“{label}”可选多个，请以列表提交，如 [1, 2]"
    elif isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value):
        msg = f"“{label}”的每一项应为文本或数字"
    else:
        return
    raise InvalidInput(msg, {key: [msg]})


def detail_response(request: Request, case: Case) -> dict[str, Any]:
    """The detail, with what the pages would offer this user (policy.offered_forms), each transition's
    form built for this case and user so its choices are the caller's own."""
    user = request.user
    # Each clock's warning window comes from its congress's rule set (lvzhi.cases.deadlines.Lights).
    ctx = {"request": request, "today": timezone.localdate(), "available": offered_forms(case, user)}
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


CURSOR_DOC = ("翻页位置：取自上一次响应的 `next` / `previous` 链接，原样带回（不要自行构造）。"
              "按游标翻页时每页耗时与第一页相同；`page` 页码只适合浅页（按偏移计算）。")
COUNT_DOC = (f"`count` 在不超过 {LIST_COUNT_CAP} 件时为精确数，`count_exact` 为 true；超过时不逐条计数，"
             "`count` 为数据库估算值（PostgreSQL）或 " + str(LIST_COUNT_CAP + 1) + "，`count_exact` 为 false。")
PAGE_DOC = "页码（按偏移计算，只适合浅页；深页请用响应中的 next 链接）"
PAGE_SIZE_DOC = f"每页条数，默认 {api_settings.PAGE_SIZE}，最多 {Pagination.max_page_size}"


class CasePagination(Pagination):
    """The case list's envelope: DRF's, plus whether `count` is exact (the view pages it by cursor)."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["count"]["description"] = COUNT_DOC
        envelope["properties"]["count_exact"] = {"type": "boolean", "description": "count 是否为精确数"}
        envelope["required"] = sorted({*envelope.get("required", []), "count", "count_exact", "results"})
        return envelope


class CaseListView(generics.ListCreateAPIView):
    pagination_class = CasePagination

    def get_serializer_class(self):
        return CaseListSerializer if self.request.method == "GET" else OpenCaseRequestSerializer

    def list_filters(self) -> CaseFilters:
        f = CaseFilterSerializer(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        return CaseFilters(kind=d.get("kind", ""), states=d.get("state", []), category=d.get("category", ""),
                           unit=d.get("unit"), q=d.get("q", "").strip(), key=d.get("is_key"),
                           session=d.get("session"), deputy=d.get("deputy", "").strip(),
                           delegation=d.get("delegation"), overdue=bool(d.get("overdue")),
                           submitted_from=d.get("submitted_from"), submitted_to=d.get("submitted_to"),
                           registered_from=d.get("registered_from"), registered_to=d.get("registered_to"),
                           sort=d.get("ordering") or d.get("sort", ""))

    def get_queryset(self):
        return with_list_relations(filtered_cases(self.request.user, self.list_filters()))

    def link(self, cursor: str) -> str | None:
        if not cursor:
            return None
        params = self.request.query_params.copy()
        params.pop("page", None)
        params["cursor"] = cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + params.urlencode()

    @extend_schema(parameters=[CaseFilterSerializer,
                               OpenApiParameter("cursor", OpenApiTypes.STR, description=CURSOR_DOC),
                               OpenApiParameter("page", OpenApiTypes.INT, description=PAGE_DOC),
                               OpenApiParameter("page_size", OpenApiTypes.INT, description=PAGE_SIZE_DOC)],
                   summary="案件列表（仅含您有权查看的）", description=COUNT_DOC + CURSOR_DOC,
                   responses={200: CaseListSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        f = self.list_filters()
        paging = self.paginator
        size = paging.get_page_size(request)
        number = paging.get_page_number(request, None)
        cursor = request.query_params.get("cursor", "")
        lights = Lights(timezone.localdate())

        def fetch(pks: list[int]) -> dict[int, dict[str, Any]]:
            return selectors.list_rows(pks, lights)

        qs = narrowed_cases(request.user, f)
        if number != 1 and not cursor:  # a page by number: an offset, for shallow pages
            if not isinstance(number, int):
                raise ValidationError({"page": ["页码应为正整数；深页请使用响应中的 next 链接"]})
            if (number - 1) * size > ID_MAX:  # an offset no database holds: no such page, not an overflow
                raise Http404("页码超出范围")
            pks = list(filtered_cases(request.user, f).values_list("pk", flat=True)
                       [(number - 1) * size:number * size + 1])
            if not pks[:size]:
                raise Http404("页码超出范围")
            rows = fetch(pks[:size])
            page = KeysetPage([rows[p] for p in pks[:size] if p in rows], number, size, count_cases(qs))
            next_link = self.offset_link(number + 1) if len(pks) > size else None
            previous = self.offset_link(number - 1)
        else:
            try:
                page = keyset_page(qs, f.sort, cursor, size, fetch)
            except InvalidCursor as exc:
                msg = "分页游标无效（可能来自另一种排序或已过期），请从第一页重新翻页"
                raise ValidationError({"cursor": [msg]}) from exc
            next_link, previous = self.link(page.next_cursor), self.link(page.previous_cursor)
        return Response({"count": page.count.n, "count_exact": page.count.exact,
                         "next": next_link, "previous": previous, "results": page.object_list})

    def offset_link(self, number: int) -> str:
        params = self.request.query_params.copy()
        params.pop("cursor", None)
        if number > 1:
            params["page"] = str(number)
        else:
            params.pop("page", None)
        query = params.urlencode()
        return self.request.build_absolute_uri(self.request.path) + ("?" + query if query else "")

    @extend_schema(
        summary="提出案件（任一您可提出的类型）", description=open_doc(),
        request={"application/json": OpenCaseRequestSerializer,
                 "multipart/form-data": OpenCaseRequestSerializer,
                 "application/x-www-form-urlencoded": OpenCaseRequestSerializer},
        responses={201: CaseDetailSerializer, **errors(400, 401, 403, 415, 503)})
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


FULL_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


def wants_full(request: Request) -> bool:
    """`?full=1` asks a transition for the whole case after it; anything unreadable is a 400."""
    raw = request.query_params.get("full", "").strip().lower()
    if raw not in FULL_VALUES:
        msg = "full 应为 1 或 0（1：同时返回操作后的完整案件）"
        raise ValidationError({"full": [msg]})
    return FULL_VALUES[raw]


def transition_response(request: Request, case: Case, full: bool) -> dict[str, Any]:
    """What a transition answers: the case's new state and what the caller may do next (the
    same policy as the buttons), from the row the engine locked and changed — no second read
    of the case. The whole detail only when asked for (`?full=1`)."""
    kind = get_kind(case.kind)
    body: dict[str, Any] = {
        "id": case.pk, "state": case.state, "state_label": kind.state_label(case.state),
        "state_round_label": case.state_round_label, "round": case.round,
        "next_transitions": [{"name": t.name, "label": t.label} for t in offered(case, request.user)],
    }
    if full:
        try:  # after e.g. declining to co-sign, the case is no longer the caller's to see
            body["case"] = detail_response(request, selectors.detail_case(request.user, case.pk))
        except Http404:
            body["case"] = None
    return body


class TransitionView(APIView):
    @extend_schema(
        summary="执行案件操作（流转）",
        description=transitions_doc(),
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="操作名，如 submit、register、assign、draft_reply"),
                    OpenApiParameter("full", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
                                     description="1：同时返回操作后的完整案件（case，同案件详情）；"
                                                 "默认只返回新状态和您接下来可执行的操作")],
        request={"application/json": OpenApiTypes.OBJECT,
                 "multipart/form-data": OpenApiTypes.OBJECT,
                 "application/x-www-form-urlencoded": OpenApiTypes.OBJECT},
        responses={200: TransitionResultSerializer, **errors(400, 401, 403, 404, 409, 415, 503)},
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        full = wants_full(request)
        # Only the kind, to pick the transition's form: fire() reads (and locks) the row itself.
        kind = selectors.visible_cases(request.user).filter(pk=pk).values_list("kind", flat=True).first()
        if kind is None:
            raise Http404("未找到该案件，或您无权查看")
        t = get_kind(kind).workflow.transitions.get(name)  # unknown: fire() answers 404
        result = fire(pk, name, request.user, form_payload(request.data, t and t.form),
                      request.FILES)
        return Response(transition_response(request, result.case, full))


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

    @extend_schema(summary="承办单位列表", responses={200: UnitSerializer(many=True), **errors(401)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class DeputyListView(generics.ListAPIView):
    """Active deputies of the caller's congress: id, name, delegation (no personal data)."""

    serializer_class = DeputySerializer
    pagination_class = Pagination

    def get_queryset(self):
        f = DeputyFilterSerializer(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        return selectors.deputies_of(self.request.user, f.validated_data.get("q", "").strip())

    @extend_schema(summary="代表列表（选择附议代表）", responses={
        200: DeputySerializer(many=True), **errors(*LIST_ERRORS)}, parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="姓名或代表团包含的文字")])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


@csrf_exempt  # like every API view: else a POST here would get the CSRF middleware's HTML 403
def not_found(request, *args, **kwargs):
    """/api/… that matches no endpoint: the same JSON shape as every other refusal."""
    from lvzhi.core.errors import json_response

    return json_response({"detail": "接口地址不存在，请查看 /api/schema/", "errors": {}}, 404)
