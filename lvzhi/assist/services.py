"""智能辅助 services: unit suggestions, model retraining, similar cases, reply checks.

Views call these; nothing here renders. Loaded models and the similar-case index are kept
in-process (one copy per worker process): a model is reloaded when another is activated, the
index is brought up to date from the events written since it was last used.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lvzhi.assist import training as T
from lvzhi.assist import vectors
from lvzhi.assist.models import CaseEmbedding, ModelStatus, RoutingModel
from lvzhi.cases import deadlines
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Case,
    Deadline,
    Event,
    Reply,
    ReplyState,
)
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.intelligence.reply_check import ReplyCheck, check_reply
from lvzhi.intelligence.routing import Router, RoutingError
from lvzhi.intelligence.similar import DEFAULT_QUERY_THRESHOLD
from lvzhi.intelligence.similar_index import IncrementalIndex
from lvzhi.suggestions.states import SUGGESTION_STATES
from lvzhi.suggestions.states import SuggestionState as S

log = logging.getLogger(__name__)

MIN_TRAINING_ROWS = 10
# A "training" row older than this was left by a worker that died.
STALE_TRAINING = dt.timedelta(hours=2)


# =============================================================================== routing

def _units(congress_id: int) -> list[Organization]:
    return list(Organization.objects.filter(congress_id=congress_id, kind=OrganizationKind.UNIT,
                                            is_active=True).order_by("sort_order", "name"))


def _masker(units: list[Organization]):
    return T.name_masker([u.name for u in units] + [u.short_name for u in units])


def _fields(units: list[Organization]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for u in units:
        if u.field:
            out.setdefault(u.field, []).append(u.name)
    return out


# Retraining reads at most this many assigned cases, the most recent: a decade of a city
# (1M cases) does not fit a worker (the TF-IDF matrix of 1M texts alone is ~12 GB, and the
# cross-validation trains 11 models); 20,000 rows train in ~1 CPU-minute per model within
# ~1 GB (docs/intelligence.md), and recent assignments are the ones that say where a case
# goes today (units are renamed and merged).
MAX_TRAINING_ROWS = 20_000


def history_rows(congress_id: int, limit: int = MAX_TRAINING_ROWS) -> list[T.Row]:
    """One row per assigned case, the ``limit`` most recently assigned: its text, category and
    (latest) lead unit. Read as plain values, newest first, so a million cases are not loaded."""
    rows: dict[int, T.Row] = {}
    qs = (Assignment.objects.filter(case__congress_id=congress_id, role=AssignmentRole.LEAD)
          .exclude(state=AssignmentState.WITHDRAWN).order_by("-id")
          .values_list("case_id", "case__title", "case__body", "case__category", "unit__name"))
    step = max(1000, limit)
    start = 0
    while len(rows) < limit:
        chunk = list(qs[start:start + step])
        for case_id, title, body, category, unit in chunk:
            if case_id not in rows and len(rows) < limit:  # newest first: the latest lead wins
                rows[case_id] = T.Row(case_id, title, body, category, unit)
        if len(chunk) < step:
            break
        start += step
    return [rows[k] for k in sorted(rows)]


def history_count(congress_id: int) -> int:
    """How many assigned cases retraining could learn from (before the cap)."""
    return (Assignment.objects.filter(case__congress_id=congress_id, role=AssignmentRole.LEAD)
            .exclude(state=AssignmentState.WITHDRAWN).values("case_id").distinct().count())


def model_path(model: RoutingModel) -> Path:
    return Path(settings.MEDIA_ROOT) / model.directory


_router_cache: dict[str, Router] = {}
_router_lock = threading.Lock()


def load_router(model: RoutingModel) -> Router:
    """The Router of a model row, loaded once per process (keyed by its directory)."""
    key = str(model_path(model))
    with _router_lock:
        router = _router_cache.get(key)
        if router is None:
            router = Router.load(key)
            _router_cache[key] = router
        return router


def active_model(congress_id: int) -> RoutingModel | None:
    return RoutingModel.objects.filter(congress_id=congress_id, is_active=True).first()


@dataclass
class UnitSuggestions:
    units: list[tuple[Organization, float | None]]
    source: str  # "model" | "field" | "none"
    version: int | None = None


def _predict(cases: list[Case], congress_id: int) -> dict[int, UnitSuggestions]:
    units = _units(congress_id)
    by_name = {u.name: u for u in units}
    model = active_model(congress_id)
    out: dict[int, UnitSuggestions] = {}
    if model is not None and cases:
        try:
            router = load_router(model)
            mask = _masker(units)
            preds = router.predict([mask(c.title) for c in cases], [mask(c.body) for c in cases],
                                   k=len(router.labels))
            for c, pairs in zip(cases, preds, strict=True):
                ranked = [(by_name[n], round(p, 2)) for n, p in T.unit_scores(pairs, model.category_units)
                          if n in by_name]
                if ranked:
                    out[c.pk] = UnitSuggestions(ranked[:3], "model", model.version)
        except RoutingError as exc:  # files gone or from another format version: fall back
            log.warning("智能交办模型 v%s 无法加载：%s", model.version, exc)
    fields = _fields(units)
    for c in cases:
        if c.pk not in out:
            names = fields.get(c.category, [])
            out[c.pk] = UnitSuggestions([(by_name[n], None) for n in names[:3]],
                                        "field" if names else "none")
    return out


def unit_suggestions(case: Case) -> UnitSuggestions:
    return _predict([case], case.congress_id)[case.pk]


def suggest_units(case: Case) -> list[tuple[Organization, float | None]]:
    """Top 3 lead units for a case, best first; scores are calibrated probabilities (None when
    no model is active and the category → unit field mapping is used)."""
    return unit_suggestions(case).units


def suggested_leads(cases: list[Case]) -> dict[int, Organization]:
    """Batch assignment: the first suggested unit per case, scored (``assist_score``)."""
    out: dict[int, Organization] = {}
    if not cases:
        return out
    for pk, s in _predict(cases, cases[0].congress_id).items():
        if s.units:
            unit, score = s.units[0]
            unit.assist_score = score
            out[pk] = unit
    return out


# ------------------------------------------------------------------------- retraining

def _save_progress(model_id: int, progress: int, message: str) -> None:
    RoutingModel.objects.filter(pk=model_id).update(progress=min(100, max(0, progress)),
                                                    message=message[:300])


def start_retraining(congress_id: int, user: User | None = None,
                     recipe: T.Recipe | None = None) -> RoutingModel:
    """A new model row in "training"; the caller runs or enqueues ``run_training`` on it."""
    stale = timezone.now() - STALE_TRAINING
    with transaction.atomic():
        RoutingModel.objects.filter(congress_id=congress_id, status=ModelStatus.TRAINING,
                                    created_at__lt=stale).update(
            status=ModelStatus.FAILED, message="训练进程中断（超过2小时未完成）")
        if RoutingModel.objects.filter(congress_id=congress_id, status=ModelStatus.TRAINING).exists():
            raise InvalidInput("已有模型正在训练，请等待其完成后再重新训练")
        last = RoutingModel.objects.filter(congress_id=congress_id).aggregate(v=Max("version"))["v"] or 0
        version = last + 1
        return RoutingModel.objects.create(
            congress_id=congress_id, version=version, directory=f"models/{congress_id}/v{version}",
            recipe=(recipe or T.Recipe()).as_dict(), created_by=user, message="排队等待训练")


def enqueue_retraining(congress_id: int, user: User | None = None) -> RoutingModel:
    from lvzhi.assist.tasks import retrain_task

    model = start_retraining(congress_id, user)
    transaction.on_commit(lambda: retrain_task.enqueue(model.pk))
    return model


def run_training(model_id: int, folds: int = 5) -> RoutingModel:
    """Train from history, cross-validate against the active model, then activate or reject."""
    model = RoutingModel.objects.select_related("congress").get(pk=model_id)
    t0 = time.perf_counter()
    try:
        _save_progress(model.pk, 2, "读取历史交办数据")
        cid = model.congress_id
        rows = history_rows(cid)
        if len(rows) < MIN_TRAINING_ROWS:
            raise T.NotEnoughData(f"历史交办案件不足：仅 {len(rows)} 件，至少需要 {MIN_TRAINING_ROWS} 件")
        units = _units(cid)
        mask = _masker(units)
        mapping = T.category_units(rows, _fields(units))
        recipe = T.Recipe.from_dict(model.recipe)
        active = RoutingModel.objects.filter(congress_id=cid, is_active=True).exclude(pk=model.pk).first()
        recipes = [recipe] + ([T.Recipe.from_dict(active.recipe)] if active else [])
        k = max(2, min(folds, len(rows) // 5))
        _save_progress(model.pk, 5, f"用历史案件检验（分{k}组轮流检验，共{len(rows)}件）")
        results = T.cross_validate(rows, recipes, mapping, mask, folds=k,
                                   progress=lambda p, m: _save_progress(model.pk, 5 + p * 80 // 100, m))
        _save_progress(model.pk, 86, "用全部历史案件训练新版本")
        router = T.train_final(rows, recipe, mask)
        router.save(model_path(model))
        labels = router.labels
        figs = dict(results[0])
        figs.update(
            n_rows=len(rows), n_labels=len(labels),
            n_unit_labels=sum(1 for lab in labels if not lab.startswith(T.CATEGORY_PREFIX)),
            n_units=len({r.unit for r in rows}), folds=k,
            train_seconds=router.metadata["assist"]["seconds"],
            total_seconds=round(time.perf_counter() - t0, 1))
        model.figures, model.category_units = figs, mapping
        model.baseline = dict(results[1], version=active.version) if active else {}
        model.progress, model.finished_at = 100, timezone.now()
        reason = T.worse_reason(results[0], results[1]) if active else ""
        if reason:
            model.status, model.message = ModelStatus.REJECTED, reason
            model.save()
            return model
        with transaction.atomic():
            RoutingModel.objects.filter(congress_id=cid, is_active=True).update(is_active=False)
            model.status, model.is_active, model.activated_at = ModelStatus.READY, True, timezone.now()
            model.message = (f"已启用：检验中首选单位命中 {figs['accuracy']:.0%}，前三名命中 {figs['top3']:.0%}"
                             + (f"（原第{active.version}版：{results[1]['accuracy']:.0%} / "
                                f"{results[1]['top3']:.0%}）" if active else ""))
            model.save()
        return model
    except T.NotEnoughData as exc:
        _fail(model.pk, exc.message)
    except Exception as exc:  # the row must not stay "training" forever
        log.exception("智能交办模型训练失败")
        _fail(model.pk, f"训练失败：{exc}")
    return RoutingModel.objects.get(pk=model.pk)


def _fail(model_id: int, message: str) -> None:
    RoutingModel.objects.filter(pk=model_id).update(status=ModelStatus.FAILED, message=message[:300],
                                                    finished_at=timezone.now())


# ============================================================================ similar

# States whose cases are offered as "similar": submitted onwards, not dropped or folded away.
SIMILAR_STATES = [S.SUBMITTED, S.REGISTERED, S.HANDLING, S.REPLIED,
                  S.CLOSED, S.REFERRED]
REGISTERED_STATES = {S.REGISTERED, S.HANDLING, S.REPLIED, S.CLOSED,
                     S.REFERRED}
MERGE_TARGET_STATES = {S.REGISTERED, S.HANDLING, S.REPLIED}


@dataclass
class SimilarCase:
    id: int
    number: str
    title: str
    state: str
    state_label: str
    kind: str
    score: float
    shared_phrases: list[str] = field(default_factory=list)

    @property
    def registered(self) -> bool:
        return self.state in REGISTERED_STATES and bool(self.number)


# With stored vectors the library's combined score (0.7 × characters + 0.3 × sentence vectors)
# is cut a little lower than its default: on the 176 labelled pairs (full messages_dev index)
# combined ≥ 0.33 finds 97 of 104 re-posts (precision 0.82 against hard negatives), where
# characters alone ≥ 0.35 find 94 (0.90) and combined ≥ 0.35 only 91 (0.88). The panel is a
# hint a deputy reads, so recall comes first. See docs/assist.md.
QUERY_THRESHOLD_WITH_VECTORS = 0.33


# A congress with up to this many indexed cases keeps all their sentence vectors in memory
# (50,000 × 512 × 4 bytes = 100 MB) and adds the nearest ones as candidates (the same
# complaint told in other words); above it candidates come from the characters only.
SEMANTIC_LIMIT = 50_000
SEMANTIC_CANDIDATES = 30
SIMILAR_DIR = "similar"  # under MEDIA_ROOT: <congress id>/ holds a saved index (build_similar_index)


def _fingerprint(title: str, body: str) -> int:
    """The index's fingerprint of a text: the first 64 bits of the stored vector's text_hash,
    so vectors can be matched to the indexed text without reading the texts again."""
    return int(vectors.text_hash(title or "", body or "")[:16], 16)


@dataclass
class _IndexEntry:
    index: IncrementalIndex
    event_id: int  # the congress's events up to this id are reflected in the index
    event_hash: str  # that event's hash (see _still_there)
    build_seconds: float
    vec_signature: tuple = ()
    vectors: np.ndarray | None = None  # rows of vec_keys, when every indexed case has a fresh one
    vec_row: dict[int, int] = field(default_factory=dict)
    missing_vectors: int = 0  # indexed cases without a fresh vector (then characters only)

    @property
    def uses_embeddings(self) -> bool:
        return self.vectors is not None

    @property
    def threshold(self) -> float:
        return QUERY_THRESHOLD_WITH_VECTORS if self.uses_embeddings else DEFAULT_QUERY_THRESHOLD

    @property
    def meta(self) -> IncrementalIndex:
        """``case_id in entry.meta``: whether a case is indexed (kept for callers and tests)."""
        return self.index


_index_cache: dict[int, _IndexEntry] = {}
_index_lock = threading.Lock()


def _similar_qs(congress_id: int):
    return (Case.objects.filter(congress_id=congress_id, state__in=SIMILAR_STATES)
            .exclude(suggestion_detail__confidential=True))


def index_dir(congress_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / SIMILAR_DIR / str(congress_id)


def _last_event(congress_id: int) -> tuple[int, str]:
    row = Event.objects.filter(congress_id=congress_id).order_by("-id").values_list("id", "hash").first()
    return row or (0, "")


def _still_there(event_id: int, event_hash: str) -> bool:
    """The event the index was brought up to is still in the database, unchanged: else the
    database is another one (restored, or a test's rolled back) and the index is rebuilt."""
    if not event_id:  # built before the congress's first event: the catch-up reads them all
        return True
    return Event.objects.filter(pk=event_id).values_list("hash", flat=True).first() == event_hash


class _CaseTexts(Sequence):
    """(id, title, body) of the indexable cases, read in slices (``IncrementalIndex.build``
    reads it twice in batches): a million texts are never held at once."""

    def __init__(self, congress_id: int) -> None:
        self.ids = list(_similar_qs(congress_id).order_by("id").values_list("id", flat=True))

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):  # type: ignore[override]
        if not isinstance(i, slice):
            return self[i:i + 1][0]
        ids = self.ids[i]
        got = {pk: (pk, t, b) for pk, t, b in Case.objects.filter(pk__in=ids).values_list("id", "title", "body")}
        return [got[pk] for pk in ids if pk in got]


def build_index(congress_id: int, save: bool = False) -> IncrementalIndex:
    """The congress's similar-case index from its cases (the command ``build_similar_index``
    saves it, so that workers load it instead of building)."""
    event_id, event_hash = _last_event(congress_id)  # before reading: later events are caught up
    rows = _CaseTexts(congress_id)
    index = IncrementalIndex.build(rows, fingerprint=_fingerprint)
    index.watermark, index.watermark_tag = event_id, event_hash
    if save:
        index.save(index_dir(congress_id))
    return index


def _catch_up(entry: _IndexEntry, congress_id: int) -> bool:
    """Apply the events written since the index was last brought up to date: a case whose
    text changed or that became indexable is (re)indexed, one that stopped being indexable
    (merged, withdrawn, confidential) removed. ``fire()`` writes an event for every change,
    so the events name every case to look at. True when the index changed."""
    new = list(Event.objects.filter(congress_id=congress_id, id__gt=entry.event_id)
               .order_by("id").values_list("id", "case_id", "hash"))
    if not new:
        return False
    entry.event_id, entry.event_hash = new[-1][0], new[-1][2]
    case_ids = sorted({c for _e, c, _h in new if c is not None})
    if not case_ids:
        return False
    keep = {pk: (t, b) for pk, t, b in _similar_qs(congress_id).filter(pk__in=case_ids)
            .values_list("id", "title", "body")}
    gone = [pk for pk in case_ids if pk not in keep]
    before = len(entry.index)
    entry.index.remove([pk for pk in gone if pk in entry.index])
    docs = [(pk, t, b) for pk, (t, b) in keep.items()]
    changed = entry.index.add(docs, fingerprints=[_fingerprint(t, b) for _pk, t, b in docs])
    return bool(changed) or len(entry.index) != before


def _refresh_vectors(entry: _IndexEntry, congress_id: int, index_changed: bool) -> None:
    """Sentence vectors of every indexed case, when each has a fresh one and there are at most
    SEMANTIC_LIMIT; else none (characters only) and the embedding task is requested."""
    index = entry.index
    if len(index) > SEMANTIC_LIMIT:
        entry.vectors, entry.vec_row, entry.missing_vectors = None, {}, 0
        return
    signature = vectors.freshness(_similar_qs(congress_id).values("id"))
    if signature == entry.vec_signature and not index_changed:
        return
    entry.vec_signature = signature
    keys = [k for k in index.slot_of]
    got = {pk: (h, v) for pk, h, v in CaseEmbedding.objects.filter(
        case_id__in=keys, encoder=vectors.encoder_name()).values_list("case_id", "text_hash", "vector")}
    fresh = [k for k in keys if k in got and int(got[k][0][:16], 16) == index.fingerprint(k)]
    entry.missing_vectors = len(keys) - len(fresh)
    if entry.missing_vectors or not keys:
        entry.vectors, entry.vec_row = None, {}
        if entry.missing_vectors:
            vectors.request_embedding(congress_id)
        return
    entry.vectors = np.stack([vectors.from_bytes(got[k][1]) for k in keys])
    entry.vec_row = {k: i for i, k in enumerate(keys)}


def similarity_index(congress_id: int) -> _IndexEntry:
    """The congress's similar-case index, kept per worker process and brought up to date
    incrementally (never rebuilt because a text changed).

    First use in a process: the saved index (``manage.py build_similar_index``) is loaded, or,
    if there is none, built from the cases. Every call then applies the events written since
    (one indexed range query on the events' primary key), see ``_catch_up``.
    """
    with _index_lock:
        entry = _index_cache.get(congress_id)
        if entry is not None and not _still_there(entry.event_id, entry.event_hash):
            entry = None
        if entry is None:
            t0 = time.perf_counter()
            index = None
            saved = index_dir(congress_id)
            if (saved / "meta.json").is_file():
                try:
                    index = IncrementalIndex.load(saved)
                except (OSError, ValueError) as exc:
                    log.warning("相似案件索引无法加载，将重新建立：%s", exc)
            if index is None:
                index = build_index(congress_id)
            entry = _IndexEntry(index, index.watermark, index.watermark_tag, round(time.perf_counter() - t0, 3))
            _index_cache[congress_id] = entry
            changed = True
        else:
            changed = False
        changed = _catch_up(entry, congress_id) or changed
        _refresh_vectors(entry, congress_id, changed)
        return entry


def similar_cases(congress_id: int, title: str, body: str, exclude_id: int | None = None,
                  limit: int = 5, registered_only: bool = False) -> list[SimilarCase]:
    """Earlier cases of the congress raising the same matter, best first.

    Only non-draft, non-confidential cases are indexed; ``registered_only`` (the deputies'
    panel) keeps those that have been registered and numbered. The candidates' texts and
    labels are read from the database in one query (the index keeps no texts).
    """
    if not (title or "").strip() and not (body or "").strip():
        raise InvalidInput("请输入建议标题或内容后再查找相近建议")
    entry = similarity_index(congress_id)
    info: dict[int, dict[str, Any]] = {}

    def text_of(keys: list) -> list[tuple[str, str]]:
        for r in (_similar_qs(congress_id).filter(pk__in=keys)
                  .values("id", "number", "title", "body", "state", "kind")):
            info[r["id"]] = r
        return [(info[k]["title"], info[k]["body"]) if k in info else ("", "") for k in keys]

    vec_keys = list(entry.vec_row)

    def nearest(qv: np.ndarray) -> list[int]:
        # The stored vectors nearest to the query's join the candidates: the same matter told
        # in other words shares few characters.
        best = np.argsort(-(entry.vectors @ qv.T).max(axis=1))[:SEMANTIC_CANDIDATES]
        return [vec_keys[i] for i in best]

    def vectors_of(keys: list) -> np.ndarray | None:
        rows = [entry.vec_row.get(k) for k in keys]
        if entry.vectors is None or any(r is None for r in rows):
            return None
        return entry.vectors[rows]

    use_vectors = entry.vectors is not None
    if use_vectors:
        from lvzhi.intelligence.embeddings import encode  # the query's texts: ~30-100 ms

    labels = dict((x.code, x.label) for x in SUGGESTION_STATES)
    out: list[SimilarCase] = []
    for m in entry.index.query(title, body, text_of, threshold=entry.threshold, limit=limit + 20,
                               exclude=[exclude_id] if exclude_id else (),
                               vectors_of=vectors_of if use_vectors else None,
                               encode=encode if use_vectors else None, nearest=nearest if use_vectors else None,
                               with_phrases=False):
        r = info.get(m.id)
        if r is None:  # no longer indexable (the event is caught up on the next call)
            continue
        item = SimilarCase(m.id, r["number"], r["title"], r["state"], labels.get(r["state"], r["state"]),
                           r["kind"], round(m.score, 2))
        if registered_only and not item.registered:
            continue
        item.shared_phrases = entry.index.phrases(title, body, r["title"], r["body"], limit=4)
        out.append(item)
        if len(out) >= limit:
            break
    return out


def similar_to_case(case: Case, limit: int = 5) -> list[SimilarCase]:
    """For the clerk's review of a submitted/registered case: registered cases it may be merged into."""
    found = similar_cases(case.congress_id, case.title, case.body, exclude_id=case.pk, limit=limit + 5,
                          registered_only=True)
    return [s for s in found if s.kind == case.kind][:limit]


# ======================================================================== reply check

@dataclass
class CheckedReply:
    reply: Reply
    check: ReplyCheck
    due_on: dt.date | None

    @property
    def flag_rows(self) -> list[tuple[str, str]]:
        return [(FLAG_LABELS.get(f.code, f.code), f.message) for f in self.check.flags]


FLAG_LABELS = {"low_relevance": "低关联度", "boilerplate": "套话", "no_concrete_commitment": "无具体措施",
               "late": "逾期"}


def _reply_due(reply: Reply) -> dt.date | None:
    kinds = [DeadlineKind.REPLY, DeadlineKind.REHANDLE]
    clock = deadlines.open_clocks(reply.case, kinds, reply.assignment).order_by("-start_on").first()
    if clock is None:  # already met (reviewed) or cancelled: the latest one still dates the reply
        clock = Deadline.objects.filter(case=reply.case, assignment=reply.assignment,
                                        kind__in=kinds).order_by("-start_on", "-id").first()
    return clock.due_on if clock else None


def check_reply_for(reply: Reply, today: dt.date | None = None) -> ReplyCheck:
    """The library's reply check with the case's text, assignment date and reply deadline."""
    return _checked(reply, today).check


def _checked(reply: Reply, today: dt.date | None = None) -> CheckedReply:
    case = reply.case
    due = _reply_due(reply)
    signed = timezone.localtime(reply.signed_at).date() if reply.signed_at else None
    # A C/D reply explains why nothing can be done now; dated promises are a commitment already.
    expects_action = reply.reply_class not in ("C", "D") and not reply.promises
    check = check_reply(case.title, case.body, reply.text, assigned_on=reply.assignment.assigned_on,
                        replied_on=signed, due_on=due, today=today or timezone.localdate(),
                        expects_action=expects_action)
    return CheckedReply(reply, check, due)


def replies_to_check(user: User, case: Case) -> list[CheckedReply]:
    """Drafts the unit head may sign, or signed replies the clerk reviews."""
    qs = Reply.objects.filter(case=case, round=case.round).select_related("assignment__unit", "case")
    if user.role == Role.UNIT_HEAD and user.organization_id:
        qs = qs.filter(state=ReplyState.DRAFT, assignment__unit_id=user.organization_id)
    elif user.role == Role.CLERK and user.congress_id == case.congress_id:
        qs = qs.filter(state=ReplyState.SIGNED)
    else:
        return []
    return [_checked(r) for r in qs.order_by("id")]

