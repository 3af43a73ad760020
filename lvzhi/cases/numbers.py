"""Official case numbers: gap-free per series, taken inside the registering transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, CaseNumberCounter


def series_of(case: Case) -> str:
    if case.session_id:
        return f"session-{case.session_id}"
    year = (case.submitted_at or case.created_at).year
    return f"interim-{year}"


def next_number(case: Case) -> str:
    """Lock the series counter, take the next value; a rollback gives the number back."""
    series = series_of(case)
    key = {"congress_id": case.congress_id, "kind": case.kind, "series": series}
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(**key)
    except IntegrityError:  # another transaction created it first; it exists now
        pass
    counter = CaseNumberCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    fmt = get_kind(case.kind).format_number
    return fmt(case, counter.last) if fmt else f"{series}-{counter.last:04d}"
