"""The registry of case kinds. Each app registers its kinds in AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db import models

    from lvzhi.cases.models import Case
    from lvzhi.cases.workflow import Workflow


@dataclass(frozen=True)
class CaseKind:
    code: str
    label: str
    workflow: Workflow
    detail_model: type[models.Model] | None = None
    # How the official number reads, given the case and its sequence in the series.
    format_number: Callable[[Case, int], str] | None = None


_KINDS: dict[str, CaseKind] = {}


def register_kind(kind: CaseKind) -> None:
    _KINDS[kind.code] = kind


def get_kind(code: str) -> CaseKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"未知的案件类型：{code}") from None


def all_kinds() -> list[CaseKind]:
    return list(_KINDS.values())
