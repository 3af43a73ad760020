"""The CLI contract other people script against."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from ._support import REPO, rows


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lvzhi.intelligence", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def write(path: Path, header: list[str], data: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows(data)
    return path


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli")
    data = list(rows("messages_dev"))
    random.Random(0).shuffle(data)
    train = write(d / "train.csv", ["id", "title", "body", "label"], data[:700])
    res = run("route", "train", "--data", str(train), "--model", str(d / "model"))
    assert res.returncode == 0, res.stderr
    return d / "model"


def test_predict_writes_one_row_per_input_in_order(model: Path, tmp_path: Path) -> None:
    data = list(rows("messages_dev"))[-40:]
    data.insert(3, {"id": "blank", "title": "", "body": ""})  # an empty message still gets a row
    src = write(tmp_path / "in.csv", ["id", "title", "body", "label"], data)  # label column ignored
    res = run("route", "predict", "--model", str(model), "--data", str(src), "--out", str(tmp_path / "out.csv"))
    assert res.returncode == 0, res.stderr
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        out = list(csv.DictReader(fh))
    assert [r["id"] for r in out] == [r["id"] for r in data]
    assert list(out[0]) == ["id", "label", "score", "top3"]
    for r in out:
        parts = r["top3"].split("|")
        assert len(parts) == 3 and parts[0].split(":")[0] == r["label"]
        assert 0 <= float(r["score"]) <= 1
    right = sum(r["label"] == d.get("label") for r, d in zip(out, data, strict=True))
    assert right / len(data) > 0.7


def test_bad_input_exits_2_with_a_chinese_message(tmp_path: Path, model: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title\n1,x\n", encoding="utf-8")
    res = run("route", "train", "--data", str(bad), "--model", str(tmp_path / "m"))
    assert res.returncode == 2 and "缺少列" in res.stderr and "Traceback" not in res.stderr

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    res = run("route", "predict", "--model", str(model), "--data", str(empty), "--out", str(tmp_path / "o.csv"))
    assert res.returncode == 2 and "为空" in res.stderr and "Traceback" not in res.stderr

    ok = write(tmp_path / "ok.csv", ["id", "title", "body"], [{"id": "1", "title": "t", "body": "b"}])
    res = run(
        "route", "predict", "--model", str(tmp_path / "nope"), "--data", str(ok), "--out", str(tmp_path / "o.csv")
    )
    assert res.returncode == 2 and "模型目录" in res.stderr and "Traceback" not in res.stderr


def test_wrong_model_version_exits_2(model: Path, tmp_path: Path) -> None:
    import shutil

    d = tmp_path / "old"
    shutil.copytree(model, d)
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["format_version"] = 0
    (d / "meta.json").write_text(json.dumps(meta), "utf-8")
    ok = write(tmp_path / "ok.csv", ["id", "title", "body"], [{"id": "1", "title": "t", "body": "b"}])
    res = run("route", "predict", "--model", str(d), "--data", str(ok), "--out", str(tmp_path / "o.csv"))
    assert res.returncode == 2 and "版本" in res.stderr and "Traceback" not in res.stderr
