"""智能辅助 services: unit suggestions, model retraining, similar cases, reply checks.

Views call these; nothing here renders. Indexes and loaded models are cached in-process (one
copy per worker process) and rebuilt when the data they came from changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from lvzhi.assist import training as T
from lvzhi.assist import vectors
from lvzhi.assist.models import ModelStatus, RoutingModel
from lvzhi.cases import deadlines
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Case,
    Deadline,
    Reply,
    ReplyState,
)
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.intelligence.reply_check import ReplyCheck, check_reply
from lvzhi.intelligence.routing import Router, RoutingError
from lvzhi.intelligence.similar import DEFAULT_QUERY_THRESHOLD, Doc, SimilarityIndex
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


def history_rows(congress_id: int) -> list[T.Row]:
    """One row per assigned case: its text, category and (latest) lead unit."""
    rows: dict[int, T.Row] = {}
    qs = (Assignment.objects.filter(case__congress_id=congress_id, role=AssignmentRole.LEAD)
          .exclude(state=AssignmentState.WITHDRAWN).select_related("case", "unit").order_by("id"))
    for a in qs:
        c = a.case
        rows[c.pk] = T.Row(c.pk, c.title, c.body, c.category, a.unit.name)  # later ones win
    return [rows[k] for k in sorted(rows)]


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


@dataclass
class _IndexEntry:
    signature: tuple
    build_key: tuple  # (texts hash, vectors' freshness): what the index was built from
    index: SimilarityIndex
    meta: dict[int, dict[str, Any]]
    build_seconds: float
    missing_vectors: int = 0  # cases without a fresh vector (the index then uses characters only)

    @property
    def uses_embeddings(self) -> bool:
        return self.index.uses_embeddings

    @property
    def threshold(self) -> float:
        return QUERY_THRESHOLD_WITH_VECTORS if self.uses_embeddings else DEFAULT_QUERY_THRESHOLD


_index_cache: dict[int, _IndexEntry] = {}
_index_lock = threading.Lock()


def _similar_qs(congress_id: int):
    return (Case.objects.filter(congress_id=congress_id, state__in=SIMILAR_STATES)
            .exclude(suggestion_detail__confidential=True))


def similarity_index(congress_id: int) -> _IndexEntry:
    """The congress's index, rebuilt only when the indexed texts or their stored vectors changed.

    The cheap signature (count, latest updated_at, vectors' count and latest computed_at) is
    checked on every query; when it moved (any transition saves the case; the embedding task
    writes vectors) the texts are hashed, and only a changed text or vector set rebuilds.
    The index uses sentence vectors only when every indexed case has a fresh stored one; else
    it is the character index (copies are still found) and the embedding task is requested.
    """
    qs = _similar_qs(congress_id)
    agg = qs.aggregate(n=Count("id"), latest=Max("updated_at"))
    fresh = vectors.freshness(qs.values("id"))
    signature = (agg["n"], agg["latest"], fresh)
    with _index_lock:
        entry = _index_cache.get(congress_id)
        if entry is not None and entry.signature == signature:
            return entry
        rows = list(qs.order_by("id").values("id", "number", "title", "body", "state", "kind"))
        h = hashlib.sha1()
        for r in rows:
            h.update(f"{r['id']}\x00{r['title']}\x00{r['body']}\x01".encode())
        build_key = (h.hexdigest(), fresh)
        labels = dict((x.code, x.label) for x in SUGGESTION_STATES)
        meta = {r["id"]: {"number": r["number"], "title": r["title"], "state": r["state"],
                          "state_label": labels.get(r["state"], r["state"]), "kind": r["kind"]}
                for r in rows}
        if entry is not None and entry.build_key == build_key:
            entry.signature, entry.meta = signature, meta
            return entry
        t0 = time.perf_counter()
        matrix = vectors.stored_matrix([(r["id"], r["title"], r["body"]) for r in rows])
        missing = 0
        if matrix is None and rows:
            missing = len(rows) - vectors.count_fresh([(r["id"], r["title"], r["body"]) for r in rows])
            vectors.request_embedding(congress_id)
        # Never encodes the cases here: stored vectors or none (characters only).
        index = SimilarityIndex.build([Doc(r["id"], r["title"], r["body"]) for r in rows],
                                      use_embeddings=matrix is not None, embeddings=matrix)
        entry = _IndexEntry(signature, build_key, index, meta, round(time.perf_counter() - t0, 3), missing)
        _index_cache[congress_id] = entry
        return entry


def similar_cases(congress_id: int, title: str, body: str, exclude_id: int | None = None,
                  limit: int = 5, registered_only: bool = False) -> list[SimilarCase]:
    """Earlier cases of the congress raising the same matter, best first.

    Only non-draft, non-confidential cases are indexed; ``registered_only`` (the deputies'
    panel) keeps those that have been registered and numbered.
    """
    if not (title or "").strip() and not (body or "").strip():
        raise InvalidInput("请输入建议标题或内容后再查找相近建议")
    entry = similarity_index(congress_id)
    out: list[SimilarCase] = []
    # With vectors the query text itself is encoded here (one text: ~30-100 ms).
    for m in entry.index.query(title, body, threshold=entry.threshold, limit=limit + 20,
                               exclude=[exclude_id] if exclude_id else ()):
        info = entry.meta.get(m.id)
        if info is None:
            continue
        item = SimilarCase(m.id, info["number"], info["title"], info["state"], info["state_label"],
                           info["kind"], round(m.score, 2), m.shared_phrases[:4])
        if registered_only and not item.registered:
            continue
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

