"""Citizens' requests' services: the QR codes' targets, the phone page's submission (abuse
limits, the duplicate check, photos checked by content, then the engine's `open`), the
receipt lookup, what the citizen was told, and the requests alike to one (for the deputy)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.cases.engine import open_case
from lvzhi.cases.models import Case, Event
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core import receipts
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import User
from lvzhi.deputies.models import Deputy, DeputyStatus, LiaisonStation
from lvzhi.documents.uploads import UploadError, check_upload
from lvzhi.intelligence.similar import Doc, SimilarityIndex
from lvzhi.requests import citizen_forms
from lvzhi.requests.citizen_models import CitizenRequestDetail, RequestPhoto
from lvzhi.requests.citizen_permissions import KIND
from lvzhi.requests.citizen_workflow import RECEIPT_LENGTH

PER_HOUR = 3  # requests from one network per hour
PER_DAY = 10
MAX_PHOTOS = 3
PHOTO_TYPES = {"jpg", "png"}
MAX_PHOTO = 5 * 1024 * 1024
# One citizen sending the same thing again: character similarity only (no model to load on a
# phone's request), against that network's requests of the last 30 days. 0.6 of the char score
# is a copy or a light edit (docs/intelligence.md: the char-only cut for "same matter" is 0.2).
DUPLICATE_WINDOW_DAYS = 30
DUPLICATE_THRESHOLD = 0.6
ALIKE_THRESHOLD = 0.3  # the deputy's "相近诉求" list: recall over precision


class RateLimited(InvalidInput):
    status = 429


@dataclass(frozen=True)
class Target:
    """What a QR code opens: a deputy's or a station's page."""

    deputy: Deputy | None = None
    station: LiaisonStation | None = None

    @property
    def congress_id(self) -> int:
        return (self.deputy or self.station).congress_id

    @property
    def label(self) -> str:
        return f"{self.deputy.name}代表" if self.deputy else self.station.name

    @property
    def token(self) -> str:
        return qr_token("d", self.deputy.pk) if self.deputy else qr_token("s", self.station.pk)


def _sign(kind: str, pk: int) -> str:
    return sm3_hex(f"citizen-request-qr:{settings.SECRET_KEY}:{kind}{pk}")[:10]


def qr_token(kind: str, pk: int) -> str:
    """The code's path part: d12-… for a deputy, s3-… for a station. Signed, so the page of a
    deputy cannot be found by counting ids, and a code stays valid as long as the secret key."""
    return f"{kind}{pk}-{_sign(kind, pk)}"


def target_of(token: str) -> Target | None:
    m = re.fullmatch(r"([ds])(\d{1,9})-([0-9a-f]{10})", token or "")
    if not m or m.group(3) != _sign(m.group(1), int(m.group(2))):
        return None
    pk = int(m.group(2))
    if m.group(1) == "d":
        deputy = Deputy.objects.filter(pk=pk, status=DeputyStatus.ACTIVE).select_related("station").first()
        return Target(deputy=deputy) if deputy else None
    station = LiaisonStation.objects.filter(pk=pk).first()
    return Target(station=station) if station else None


def ip_hash(ip: str) -> str:
    return receipts.network_hash("citizen-request-ip", ip)


def check_photos(photos: Sequence[UploadedFile]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(f"最多上传{MAX_PHOTOS}张照片", {"photos": [f"最多上传{MAX_PHOTOS}张照片"]})
    for f in photos:
        try:
            check_upload(f, PHOTO_TYPES, MAX_PHOTO)
        except UploadError as err:
            msg = f"照片“{f.name}”：{err.message}"
            raise InvalidInput(msg, {"photos": [msg]}) from None


def _check_limits(hashed: str, now: dt.datetime) -> None:
    recent = CitizenRequestDetail.objects.filter(ip_hash=hashed, received_at__gte=now - dt.timedelta(days=1))
    if recent.filter(received_at__gte=now - dt.timedelta(hours=1)).count() >= PER_HOUR or recent.count() >= PER_DAY:
        raise RateLimited(f"提交过于频繁：同一网络每小时最多提交{PER_HOUR}件、每天最多{PER_DAY}件诉求，请稍后再试。")


def _check_duplicate(hashed: str, text: str, now: dt.datetime) -> None:
    earlier = list(CitizenRequestDetail.objects.filter(
        ip_hash=hashed, received_at__gte=now - dt.timedelta(days=DUPLICATE_WINDOW_DAYS))
        .values_list("case_id", "case__body")[:50])
    if not earlier:
        return
    index = SimilarityIndex.build([Doc(pk, "", body) for pk, body in earlier], use_embeddings=False)
    if index.query(None, text, threshold=DUPLICATE_THRESHOLD, limit=1):
        raise InvalidInput("您近期已提交过内容相同的诉求，请凭当时的查询码查看办理进展，不必重复提交。",
                           {"text": ["与您近期提交的诉求内容相同"]})


def submit(target: Target, data: dict[str, Any], photos: Sequence[UploadedFile] = (), *, ip: str,
           now: dt.datetime | None = None) -> Case:
    """A request from the phone page: limits, duplicates, photos, then the engine's `open`; the
    case and its photos are saved together or not at all."""
    now = now or timezone.now()
    hashed = ip_hash(ip)
    _check_limits(hashed, now)
    photos = list(photos)
    check_photos(photos)
    payload = {k: v for k, v in data.items() if k in citizen_forms.RequestForm.base_fields}
    payload.update(ip_hash=hashed, deputy=target.deputy.pk if target.deputy else "",
                   station=target.station.pk if target.station else "")
    form = citizen_forms.RequestForm(payload, case=Case(congress_id=target.congress_id, kind=KIND), actor=None)
    if form.is_valid():  # the engine validates again; an invalid form gets the form's messages first
        _check_duplicate(hashed, form.cleaned_data["text"], now)
    with transaction.atomic():
        case = open_case(KIND, "open", None, payload, congress_id=target.congress_id, now=now).case
        for f in photos:
            f.seek(0)
            RequestPhoto.objects.create(case=case, file=f, size=f.size)
    return case


def lookup_receipt(code: str) -> Case | None:
    code = receipts.normalise(code, RECEIPT_LENGTH)
    if code is None:
        return None
    detail = (CitizenRequestDetail.objects.select_related("case", "deputy", "station", "unit")
              .filter(receipt=code).first())
    return detail.case if detail else None


def told(case: Case) -> list[Event]:
    """What the citizen was told, in order (each event's payload["to_citizen"])."""
    return [e for e in case.events.order_by("at", "pk") if e.payload.get("to_citizen")]


def alike(user: User, case: Case, limit: int = 5) -> list[tuple[Case, float]]:
    """Requests like this one that the user may read (the same matter from other citizens):
    the deputy sees at a glance that a whole street writes about the same thing."""
    since = (case.submitted_at or timezone.now()) - dt.timedelta(days=180)
    rows = list(visible_cases(user).filter(kind=KIND, submitted_at__gte=since).exclude(pk=case.pk)
                .order_by("-submitted_at").values_list("pk", "body")[:500])
    if not rows:
        return []
    index = SimilarityIndex.build([Doc(pk, "", body) for pk, body in rows], use_embeddings=False)
    found = index.query(None, case.body, threshold=ALIKE_THRESHOLD, limit=limit)
    by_pk = Case.objects.in_bulk([m.id for m in found])
    return [(by_pk[m.id], m.score) for m in found if m.id in by_pk]


def requests_of(user: User) -> QuerySet[Case]:
    from lvzhi.cases.selectors import with_list_relations

    return with_list_relations(visible_cases(user).filter(kind=KIND)).select_related(
        "citizen_request_detail__deputy", "citizen_request_detail__station").order_by("-submitted_at", "-pk")
