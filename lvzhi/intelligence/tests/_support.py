"""Real rows from the repository's data/ folder (or $LVZHI_DATA_DIR), through lvzhi.realdata."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from lvzhi import realdata

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    return realdata.data_dir()


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    try:
        fh = realdata.open_csv(name)
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    with fh:
        return tuple(csv.DictReader(fh))


def by_id(name: str) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in rows(name)}
