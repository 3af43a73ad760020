"""The routing model must keep working on real messages (not a score snapshot)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from lvzhi.intelligence.routing import FORMAT_VERSION, ModelVersionError, Router, RoutingError

from ._support import rows


@pytest.fixture(scope="module")
def split() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    data = list(rows("messages_dev"))
    y = [r["label"] for r in data]
    tr, te = next(StratifiedKFold(5, shuffle=True, random_state=1).split(data, y))
    return [data[i] for i in tr], [data[i] for i in te]


@pytest.fixture(scope="module")
def router(split) -> Router:
    train, _ = split
    return Router.train([r["title"] for r in train], [r["body"] for r in train], [r["label"] for r in train])


def test_four_folds_predict_the_fifth(router: Router, split) -> None:
    _, test = split
    out = router.predict([r["title"] for r in test], [r["body"] for r in test], k=3)
    pred = [o[0][0] for o in out]
    truth = [r["label"] for r in test]
    assert f1_score(truth, pred, average="macro") > 0.8
    top3 = np.mean([t in [lab for lab, _ in o] for t, o in zip(truth, out, strict=True)])
    assert top3 > 0.95


def test_probabilities_are_sorted_and_sum_to_one(router: Router) -> None:
    proba = router.predict_proba(["棚户区改造安置房迟迟不交房"], ["拆迁三年了，安置房还没建好，拆迁补偿也没到位"])
    assert proba.shape == (1, 7)
    assert abs(proba.sum() - 1) < 1e-6
    top = router.predict(["棚户区改造安置房迟迟不交房"], ["拆迁三年了，安置房还没建好，拆迁补偿也没到位"], k=7)[0]
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    assert top[0][0] == "城乡建设"


def test_empty_title_is_routed_like_joined_text(router: Router) -> None:
    a = router.predict([""], ["K3县楚江河污水横流袋子厂污水直排河里"])[0][0][0]
    assert a == "环境保护"


def test_save_load_round_trip(router: Router, tmp_path: Path) -> None:
    router.save(tmp_path / "m")
    loaded = Router.load(tmp_path / "m")
    titles, bodies = ["公交车不停站"], ["805路公交司机经常不进站，乘客等车很久"]
    assert loaded.predict(titles, bodies) == router.predict(titles, bodies)
    assert loaded.metadata["labels"] == router.labels
    assert loaded.metadata["training"]["n_examples"] > 1000


def test_other_format_version_fails_clearly(router: Router, tmp_path: Path) -> None:
    d = router.save(tmp_path / "m")
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["format_version"] = FORMAT_VERSION + 1
    (d / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelVersionError, match="版本"):
        Router.load(d)


def test_missing_model_dir_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(RoutingError, match="模型目录"):
        Router.load(tmp_path / "nothing")


def test_format_1_model_still_loads_without_title_weight(router: Router, tmp_path: Path) -> None:
    # Format-1 directories have no title_weight: they were trained on the text as written.
    d = router.save(tmp_path / "m")
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["format_version"] = 1
    del meta["config"]["title_weight"]
    (d / "meta.json").write_text(json.dumps(meta), "utf-8")
    assert Router.load(d).config.title_weight == 1
