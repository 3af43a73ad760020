"""The suggestions' lines of a deputy's 履职档案 (lvzhi.deputies.record): motions and suggestions
led (dated by submission; a draft never counts), co-signed (dated by the confirmation), and the
evaluations of the answers the deputy gave (dated by the evaluation; an expired window is not
the deputy's act)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.urls import reverse

from lvzhi.deputies.record import DutySource, Entry, register_source

KINDS = ("suggestion", "motion")
LABEL = {"suggestion": "建议", "motion": "议案"}


def led(deputy_ids: Iterable[int], start: dt.date, end: dt.date) -> Iterator[Entry]:
    from lvzhi.cases.models import Case

    rows = (Case.objects.filter(kind__in=KINDS, lead_deputy_id__in=list(deputy_ids), submitted_at__date__gte=start,
                                submitted_at__date__lte=end).order_by("submitted_at", "pk")
            .values_list("pk", "kind", "title", "lead_deputy_id", "submitted_at"))
    for pk, kind, title, deputy_id, at in rows:
        yield Entry(deputy_id, at.date(), "suggestions_led", f"领衔提出{LABEL[kind]}：{title}",
                    reverse("cases:detail", args=[pk]))


def cosigned(deputy_ids: Iterable[int], start: dt.date, end: dt.date) -> Iterator[Entry]:
    from lvzhi.cases.models import Cosign, CosignState

    rows = (Cosign.objects.filter(deputy_id__in=list(deputy_ids), state=CosignState.CONFIRMED,
                                  case__kind__in=KINDS, case__submitted_at__isnull=False,
                                  responded_at__date__gte=start, responded_at__date__lte=end)
            .order_by("responded_at", "pk").values_list("case_id", "case__kind", "case__title", "deputy_id",
                                                        "responded_at"))
    for pk, kind, title, deputy_id, at in rows:
        yield Entry(deputy_id, at.date(), "suggestions_cosigned", f"联名（附议）{LABEL[kind]}：{title}",
                    reverse("cases:detail", args=[pk]))


def evaluated(deputy_ids: Iterable[int], start: dt.date, end: dt.date) -> Iterator[Entry]:
    from lvzhi.cases.models import Evaluation
    from lvzhi.deputies.models import Deputy

    by_user = dict(Deputy.objects.filter(pk__in=list(deputy_ids), user__isnull=False)
                   .values_list("user_id", "pk"))
    rows = (Evaluation.objects.filter(by_id__in=list(by_user), expired=False, case__kind__in=KINDS,
                                      at__date__gte=start, at__date__lte=end)
            .order_by("at", "pk").values_list("case_id", "case__title", "by_id", "at", "verdict"))
    labels = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
    for pk, title, user_id, at, verdict in rows:
        yield Entry(by_user[user_id], at.date(), "suggestions_evaluated",
                    f"评价办理答复（{labels.get(verdict, verdict)}）：{title}", reverse("cases:detail", args=[pk]))


def register() -> None:
    register_source(DutySource("suggestions_led", "领衔提出议案建议", led, order=20))
    register_source(DutySource("suggestions_cosigned", "联名提出议案建议", cosigned, order=21))
    register_source(DutySource("suggestions_evaluated", "评价建议办理", evaluated, order=22))
