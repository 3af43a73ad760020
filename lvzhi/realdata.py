"""The real public data shipped in the repository's ``data/`` folder (see data/README.md).

One place that finds and opens those CSV files, for the demo builder, the platform's tests and the
Django-free ``lvzhi.intelligence`` tests and CLI. No Django import.

The files are stored gzip-compressed (``messages_dev.csv.gz``); an uncompressed ``messages_dev.csv``
in the same folder is used instead when present. ``$LVZHI_DATA_DIR`` (if set and not empty)
points at another folder holding the same files.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import TextIO

ENV = "LVZHI_DATA_DIR"
REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO / "data"

NAMES = ("messages_dev", "replies", "hot_messages", "taxonomy")


def data_dir() -> Path:
    """``$LVZHI_DATA_DIR`` if set and not empty, else the repository's ``data/`` (read on each call)."""
    return Path(os.environ.get(ENV) or DEFAULT_DIR)


DATA_DIR = data_dir()


def path(name: str, directory: Path | str | None = None) -> Path:
    """The file holding data set ``name`` ("messages_dev", "messages_dev.csv" or "messages_dev.csv.gz")
    in ``directory`` (default: :func:`data_dir`): the plain ``.csv`` if there is one, else the ``.csv.gz``."""
    d = Path(directory) if directory else data_dir()
    stem = name.removesuffix(".gz").removesuffix(".csv")
    for candidate in (d / f"{stem}.csv", d / f"{stem}.csv.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"real data not found: no {stem}.csv or {stem}.csv.gz in {d} "
                            f"(set {ENV} to the folder holding it)")


def open_text(file: Path | str, encoding: str = "utf-8") -> TextIO:
    """Open one CSV file as text for ``csv`` (``newline=""``), gunzipping it if its name ends in ``.gz``."""
    p = Path(file)
    if p.suffix == ".gz":
        return gzip.open(p, "rt", encoding=encoding, newline="")
    return p.open(encoding=encoding, newline="")


def open_csv(name: str, directory: Path | str | None = None, encoding: str = "utf-8") -> TextIO:
    """Open data set ``name`` (see :func:`path`) as UTF-8 text, ready for ``csv.DictReader``."""
    return open_text(path(name, directory), encoding=encoding)
