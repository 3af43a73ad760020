"""Train, evaluate and compare unit-routing models from a congress's own assignment history.

Labels: the lead unit of each assigned case. A unit with fewer than ``min_per_unit`` past
cases cannot be learned on its own, so its cases are labelled with their category instead
("类别:城乡建设"), and a category label is turned back into a unit through the per-congress
category → unit mapping (units whose ``Organization.field`` is that category, the one that led
most such cases first). Scores of labels that land on the same unit are added, so a unit's
score stays a probability.

Unit names (full and short) are masked out of the texts: the demo's suggestions, and many real
ones, say "由市住建局牵头……"; a model that learns to read the name back measures nothing.

Comparison: the candidate's recipe and the active model's recipe are both cross-validated on
the same folds of the same rows and scored against the true lead unit, so the figures shown
side by side are comparable even when the label schemes differ.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold

from lvzhi.intelligence.routing import Router, RoutingError

CATEGORY_PREFIX = "类别:"
DEFAULT_MIN_PER_UNIT = 5
# A candidate may be this much worse (absolute, on accuracy and macro-F1) and still replace the
# active model: fold noise on a few hundred rows is about this size.
TOLERANCE = 0.02


@dataclass
class Row:
    case_id: int
    title: str
    body: str
    category: str
    unit: str  # the true lead unit's name


@dataclass
class Recipe:
    min_per_unit: int = DEFAULT_MIN_PER_UNIT
    options: dict[str, Any] = field(default_factory=dict)  # RouterConfig fields
    shuffle_labels: bool = False  # a sanity check: a model that learned nothing must be rejected

    def as_dict(self) -> dict[str, Any]:
        return {"min_per_unit": self.min_per_unit, "options": self.options,
                "shuffle_labels": self.shuffle_labels}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Recipe:
        d = d or {}
        return cls(int(d.get("min_per_unit", DEFAULT_MIN_PER_UNIT)), dict(d.get("options") or {}),
                   bool(d.get("shuffle_labels", False)))


class NotEnoughData(Exception):
    """Too little history to train or evaluate; ``message`` is Chinese, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def name_masker(names: Sequence[str]) -> Callable[[str], str]:
    names = sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True)
    if not names:
        return lambda text: text or ""
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return lambda text: pattern.sub("有关单位", text or "")


def category_units(rows: Sequence[Row], fields: dict[str, list[str]]) -> dict[str, str]:
    """category → unit name: among units whose field is the category, the one that led most
    of the category's past cases (``fields`` lists them in their sort order for ties)."""
    led: Counter[tuple[str, str]] = Counter((r.category, r.unit) for r in rows)
    out: dict[str, str] = {}
    for cat, units in fields.items():
        if units:
            out[cat] = max(units, key=lambda u: (led[(cat, u)], -units.index(u)))
    return out


def make_labels(rows: Sequence[Row], recipe: Recipe, seed: int = 0) -> list[str]:
    counts = Counter(r.unit for r in rows)
    labels = [r.unit if counts[r.unit] >= recipe.min_per_unit else CATEGORY_PREFIX + r.category
              for r in rows]
    if recipe.shuffle_labels:
        random.Random(seed).shuffle(labels)
    return labels


def usable(rows: Sequence[Row], labels: Sequence[str]) -> tuple[list[Row], list[str]]:
    """Drop rows whose label has a single example (the Router needs two per class)."""
    counts = Counter(labels)
    keep = [i for i, lab in enumerate(labels) if counts[lab] >= 2]
    return [rows[i] for i in keep], [labels[i] for i in keep]


def label_to_unit(label: str, mapping: dict[str, str]) -> str | None:
    if label.startswith(CATEGORY_PREFIX):
        return mapping.get(label[len(CATEGORY_PREFIX):])
    return label


def unit_scores(pairs: Sequence[tuple[str, float]], mapping: dict[str, str]) -> list[tuple[str, float]]:
    """(label, prob) → (unit, summed prob), best first."""
    acc: dict[str, float] = {}
    for label, p in pairs:
        unit = label_to_unit(label, mapping)
        if unit:
            acc[unit] = acc.get(unit, 0.0) + float(p)
    return sorted(acc.items(), key=lambda kv: -kv[1])


def _train(rows: Sequence[Row], labels: Sequence[str], recipe: Recipe, mask) -> Router:
    return Router.train([mask(r.title) for r in rows], [mask(r.body) for r in rows], list(labels),
                        **recipe.options)


def figures(truth: Sequence[str], ranked: Sequence[list[str]]) -> dict[str, float]:
    """Top-1 accuracy, top-3 accuracy and macro-F1 over the true units."""
    n = len(truth)
    if not n:
        return {"accuracy": 0.0, "top3": 0.0, "macro_f1": 0.0}
    top1 = [r[0] if r else "" for r in ranked]
    acc = sum(t == p for t, p in zip(truth, top1, strict=True)) / n
    top3 = sum(t in r[:3] for t, r in zip(truth, ranked, strict=True)) / n
    f1s = []
    for unit in sorted(set(truth)):
        tp = sum(t == unit and p == unit for t, p in zip(truth, top1, strict=True))
        fp = sum(t != unit and p == unit for t, p in zip(truth, top1, strict=True))
        fn = sum(t == unit and p != unit for t, p in zip(truth, top1, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": round(acc, 4), "top3": round(top3, 4), "macro_f1": round(float(np.mean(f1s)), 4)}


def cross_validate(rows: Sequence[Row], recipes: Sequence[Recipe], mapping: dict[str, str], mask,
                   folds: int = 5, seed: int = 0,
                   progress: Callable[[int, str], None] | None = None) -> list[dict[str, float]]:
    """Each recipe trained on the same training folds, scored on the same test folds against
    the true lead unit. Folds are stratified by true unit where every unit allows it."""
    units = [r.unit for r in rows]
    counts = Counter(units)
    if min(counts.values()) >= folds:
        splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(rows)), units))
    else:
        splits = list(KFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(rows))))
    ranked: list[list[list[str]]] = [[[] for _ in rows] for _ in recipes]
    steps = len(splits) * len(recipes)
    done = 0
    for tr, te in splits:
        train_rows = [rows[i] for i in tr]
        for j, recipe in enumerate(recipes):
            labels = make_labels(train_rows, recipe, seed)
            fit_rows, fit_labels = usable(train_rows, labels)
            test = [rows[i] for i in te]
            try:
                model = _train(fit_rows, fit_labels, recipe, mask)
                preds = model.predict([mask(r.title) for r in test], [mask(r.body) for r in test],
                                      k=len(model.labels))
                for i, pairs in zip(te, preds, strict=True):
                    ranked[j][i] = [u for u, _ in unit_scores(pairs, mapping)]
            except RoutingError:
                pass  # a fold with too few classes scores as "no answer" for that recipe
            done += 1
            if progress:
                progress(done * 100 // steps, f"检验中 {done}/{steps}")
    return [figures(units, r) for r in ranked]


def worse_reason(new: dict[str, float], old: dict[str, float], tolerance: float = TOLERANCE) -> str:
    """Empty when the candidate may replace the active model; else why not, in Chinese."""
    problems = []
    # Said for a clerk: macro-F1 is "各单位平均命中情况", the tolerance in percentage points.
    for key, label in (("accuracy", "首选单位命中率"), ("macro_f1", "各单位平均命中情况")):
        if new.get(key, 0.0) < old.get(key, 0.0) - tolerance:
            problems.append(f"{label} {new.get(key, 0.0):.0%} 低于原版本 {old.get(key, 0.0):.0%}")
    if not problems:
        return ""
    return ("新版本在同一批历史案件上的检验结果不如当前启用的版本（" + "；".join(problems)
            + f"，允许相差 {tolerance:.0%}），未予采用，继续使用原版本")


def train_final(rows: Sequence[Row], recipe: Recipe, mask, seed: int = 0) -> Router:
    labels = make_labels(rows, recipe, seed)
    fit_rows, fit_labels = usable(rows, labels)
    if len(set(fit_labels)) < 2:
        raise NotEnoughData("历史交办数据不足：至少需要两个类别或承办单位、每个至少两件")
    t0 = time.perf_counter()
    model = _train(fit_rows, fit_labels, recipe, mask)
    model.metadata.setdefault("assist", {})["seconds"] = round(time.perf_counter() - t0, 2)
    return model
