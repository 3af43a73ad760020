"""The list and dashboard benchmarks at a tiny size on the test database, so they cannot rot:
each runs end to end, prints its tables, and the dashboard's new reads give the naive code's
numbers."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def a_few_cases(world):
    for i, state in enumerate(["submitted", "handling", "handling", "replied", "closed"]):
        to_state(world, draft(world, deputy_index=i % 3,
                              title=f"关于加强住宅小区物业管理的建议（第{i + 1}件）"), state)
    return world


def test_the_dashboard_benchmark_agrees_with_the_naive_aggregates(a_few_cases, capsys):
    bench = runpy.run_path(str(BENCHMARKS / "bench_dashboard.py"))
    rows = bench["main"](["--rounds", "1", "--naive-rounds", "1"])
    compared = [r for r in rows if "same" in r]
    assert compared and all(r["same"] for r in compared), [r["label"] for r in compared if not r["same"]]
    pages = [r for r in rows if r["label"].startswith("page ")]
    assert pages and all(r["status"] == 200 for r in pages)
    assert "same numbers: yes" in capsys.readouterr().out


def test_the_lists_benchmark_times_old_and_new_and_every_page(a_few_cases, capsys):
    bench = runpy.run_path(str(BENCHMARKS / "bench_lists.py"))
    bench["main"](["--rounds", "1"])
    out = capsys.readouterr().out
    assert "| 承办 收件箱 |" in out and "| 检索 物业 |" in out
    pages = [line.split(" | ") for line in out.split("## pages", 1)[1].splitlines() if line.startswith("| ")][1:]
    assert len(pages) == 12 and all(cells[1] == "200" for cells in pages), pages
