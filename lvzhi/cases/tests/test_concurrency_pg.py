"""The engine under concurrent writers on PostgreSQL (real threads, real commits): 8 clients on
different cases and 8 on one case lose nothing, and the chain verifies. It runs the benchmark's
own phases (benchmarks/bench_concurrency.py) at a small size, so the benchmark cannot rot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks under concurrent writers are PostgreSQL's (SQLite serialises them)"),
]


@pytest.fixture
def bench():
    sys.path.insert(0, str(Path(settings.BASE_DIR) / "benchmarks"))
    try:
        import bench_concurrency
    finally:
        sys.path.pop(0)
    return bench_concurrency


def test_eight_clients_lose_no_update_and_the_chain_verifies(bench):
    phases, chain_ok = bench.run(clients=8, per_client=2, rounds=3)
    different, one = phases
    assert different.errors == [] and different.lost == []
    assert different.fired == 8 * 2 * 3  # submit, register, assign on each of 16 cases
    assert one.errors == [] and one.lost == []
    assert one.fired == 8 * 3
    assert one.refused == 0
    assert chain_ok


def test_the_old_head_update_is_still_correct_so_the_comparison_is_fair(bench, monkeypatch):
    """--compare swaps the chain-head append for the old one: it must be right too."""
    from lvzhi.cases import events

    monkeypatch.setattr(events, "_append", bench.old_append)
    phases, chain_ok = bench.run(clients=4, per_client=1, rounds=2)
    assert all(p.errors == [] and p.lost == [] for p in phases) and chain_ok
