"""Only the case engine creates a case or changes its state: at run time (Case.save refuses) and
in the source (no code creates cases or bulk-updates their state behind the engine's back)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.testing import draft

ROOT = Path(__file__).resolve().parents[2]  # lvzhi/
CREATORS = {"create", "bulk_create", "get_or_create", "update_or_create"}


@pytest.mark.django_db
def test_saving_a_new_state_outside_the_engine_is_refused(world):
    case = draft(world)
    case.state = "closed"
    with pytest.raises(RuntimeError, match="案件引擎"):
        case.save()
    assert Case.objects.get(pk=case.pk).state == "draft"
    with pytest.raises(RuntimeError, match="案件引擎"):
        Case(congress=world.congress, kind="suggestion", state="draft", title="关于某事的建议",
             body="内容").save()
    # A change that leaves the state alone is an ordinary save.
    fresh = Case.objects.get(pk=case.pk)
    fresh.tags = ["电梯"]
    fresh.save()
    fire(case.pk, "submit", world.deputy_user)
    assert Case.objects.get(pk=case.pk).state == "submitted"


def _root_name(node: ast.AST) -> str:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _offences(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if _root_name(node.func) != "Case":
            continue
        name = node.func.attr
        if name in CREATORS:
            found.append(f"{where}:{node.lineno} Case.objects.{name}")
        elif name == "update" and any(k.arg == "state" for k in node.keywords):
            found.append(f"{where}:{node.lineno} Case…update(state=…)")
    return found


def test_no_code_creates_cases_or_writes_their_state_behind_the_engine():
    offences = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {"tests", "migrations"}:
            continue
        offences += _offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert offences == []


def test_the_scan_sees_an_offence():
    """The scan above is only worth something if it notices one."""
    sample = ("Case.objects.filter(pk=1).update(state='closed')\n"
              "Case.objects.create(kind='x')\n"
              "Case.objects.filter(pk=1).update(tags=[])\n")
    assert len(_offences(sample, "sample.py")) == 2
