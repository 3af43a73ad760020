"""Real rows from the shared data folder (beside the checkout, or $LVZHI_SHARED_DATA)."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    env = os.environ.get("LVZHI_SHARED_DATA")
    d = Path(env) if env else REPO / ".." / "shared" / "data"
    if not (d / "messages_dev.csv").is_file():
        pytest.fail(f"shared data not found in {d}: set LVZHI_SHARED_DATA to the folder holding messages_dev.csv")
    return d


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def by_id(name: str) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in rows(name)}
