"""Appending to and verifying the keyed, chained event log.

One chain per congress holds the events of every subject: cases (`append_event`) and anything
else that must be auditable — a meeting, a ballot, a regulation draft, a filing batch, a budget
import (`append_subject_event`). Each row records which formula hashed it (`digest_version`):

* v1 — the rows written before subjects existed:
  SM3([prev_hash, seq, case_id, actor_id, name, from, to, payload, at]).
* v2 — the rows written before the chain was keyed:
  SM3([2, prev_hash, seq, subject_type, subject_id, actor_id, name, from, to, payload, at]).
* v3 — every row appended now: HMAC-SM3 with the audit key (`audit_key()`, kept outside the
  database) over [3, prev_hash, seq, congress_id, subject_type, subject_id, actor_id,
  actor_label, name, label, from, to, payload, at] — every column a user is shown.

v1 and v2 hash no key, so anybody who can write the table could re-hash them forward; they
are accepted only where a forger cannot have put them: at the start of a chain, before its
first v3 row (whose HMAC covers the last old row's hash), or, for a chain with no v3 row yet,
up to a signed checkpoint. A v1/v2 row after a v3 row never verifies.

Signed checkpoints (`write_checkpoint`, `manage.py chain_checkpoint`) state "this chain had
`seq` rows ending in `hash`"; they are stored in the database and appended to
LVZHI_AUDIT_CHECKPOINT_FILE outside it, and `verify_chain` trusts the file: rows deleted from
the end, even with the chain head rewound, are found.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from lvzhi.cases.models import Case, ChainHead, Checkpoint, Event
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import User

log = logging.getLogger(__name__)
GENESIS = "0" * 64
CASE = "case"
DIGEST_VERSION = 3  # what append_event / append_subject_event write
LEGACY_VERSIONS = (1, 2)  # unkeyed: only before a chain's first v3 row
SUBJECT_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
CHECKPOINT_FORMAT = 1
MIN_KEY_BYTES = 32

# ------------------------------------------------------------------ the key and HMAC-SM3


def _running_tests() -> bool:
    """Django's test environment is set up (pytest-django and `manage.py test` both call
    setup_test_environment, which installs the locmem outbox)."""
    from django.core import mail

    return hasattr(mail, "outbox")


def _derived_default_key(purpose: str) -> bytes:
    label = f"lvzhi-audit-{purpose}-key-NOT-SECRET-never-use-in-production"
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), label.encode("ascii"), "sm3").digest()


def _parse_key(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{where} 必须是十六进制数") from exc
    if len(key) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where} 太短：至少 {MIN_KEY_BYTES * 2} 位十六进制数（{MIN_KEY_BYTES * 8} 位密钥），"
            "可用 `openssl rand -hex 32` 生成")
    return key


def audit_key_is_default() -> bool:
    """True when neither LVZHI_AUDIT_KEY nor LVZHI_AUDIT_KEY_FILE is set, so audit_key() falls
    back to the derived development/test key (or refuses, outside DEBUG and tests)."""
    return not (settings.LVZHI_AUDIT_KEY or settings.LVZHI_AUDIT_KEY_FILE)


def audit_key() -> bytes:
    """The HMAC-SM3 key of the event chain and its checkpoints. It lives outside the database:
    LVZHI_AUDIT_KEY (hex) or the file LVZHI_AUDIT_KEY_FILE (hex text). Without either, DEBUG and
    the tests get a key derived from SECRET_KEY and clearly marked as not secret; anything else
    is refused."""
    value, path = settings.LVZHI_AUDIT_KEY, settings.LVZHI_AUDIT_KEY_FILE
    if value and path:
        raise ImproperlyConfigured("LVZHI_AUDIT_KEY 与 LVZHI_AUDIT_KEY_FILE 只能设置其一")
    if value:
        return _parse_key(value, "LVZHI_AUDIT_KEY")
    if path:
        try:
            text = Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(f"无法读取事件链密钥文件 LVZHI_AUDIT_KEY_FILE={path}：{exc}") from exc
        return _parse_key(text, f"密钥文件 {path}")
    if _running_tests():
        return _derived_default_key("TEST")
    if settings.DEBUG:
        return _derived_default_key("DEVELOPMENT")
    raise ImproperlyConfigured(
        "未配置事件链密钥：请设置 LVZHI_AUDIT_KEY 或 LVZHI_AUDIT_KEY_FILE（64 位以上十六进制数，"
        "保存在数据库之外，见 deploy/postgresql/README.md）；仅开发（LVZHI_DEBUG=1）和测试可用默认密钥")


@functools.lru_cache(maxsize=8)
def _keyed(key: bytes) -> hmac.HMAC:
    """An HMAC-SM3 object with the key already absorbed; callers copy() it per message."""
    return hmac.new(key, digestmod="sm3")


def hmac_sm3(key: bytes, data: bytes | str) -> str:
    """HMAC (RFC 2104) over SM3 (block 64 bytes, digest 32), hex; OpenSSL's SM3 via hmac."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    mac = _keyed(bytes(key)).copy()
    mac.update(data)
    return mac.hexdigest()


# ------------------------------------------------------------------ the digest formulas


# One encoder for every row: json.dumps with these options builds a new one per call (a third of
# the cost of canonicalising a row when a verification recomputes millions). Same output.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _canonical(fields: list[Any]) -> str:
    return _ENCODER.encode(fields)


def _canonical_hash(fields: list[Any]) -> str:
    return sm3_hex(_canonical(fields))


def _at(at: dt.datetime | str) -> str:
    """UTC, microseconds, ISO 8601; a string is taken as already in that form (the verifier's
    PostgreSQL batches format it in SQL)."""
    if isinstance(at, str):
        return at
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _digest(prev_hash: str, seq: int, case_id: int, actor_id: int | None, name: str,
            from_state: str, to_state: str, payload: dict[str, Any], at: dt.datetime | str) -> str:
    """Version 1, byte for byte the formula the first chains were written with. Do not change."""
    return _canonical_hash([prev_hash, seq, case_id, actor_id, name, from_state, to_state,
                            payload, _at(at)])


def _digest_v2(prev_hash: str, seq: int, subject_type: str, subject_id: int,
               actor_id: int | None, name: str, from_state: str, to_state: str,
               payload: dict[str, Any], at: dt.datetime | str) -> str:
    """Version 2: the subject instead of the case, and the version itself inside the hash."""
    return _canonical_hash([2, prev_hash, seq, subject_type, subject_id, actor_id, name,
                            from_state, to_state, payload, _at(at)])


def _digest_v3(key: bytes, prev_hash: str, seq: int, congress_id: int, subject_type: str,
               subject_id: int, actor_id: int | None, actor_label: str, name: str, label: str,
               from_state: str, to_state: str, payload: dict[str, Any], at: dt.datetime | str) -> str:
    """Version 3: keyed (HMAC-SM3), and every column shown to users, the labels included."""
    return hmac_sm3(key, _canonical([3, prev_hash, seq, congress_id, subject_type, subject_id,
                                     actor_id, actor_label, name, label, from_state, to_state,
                                     payload, _at(at)]))


# ------------------------------------------------------------------ appending


def append_event(case: Case, actor: User | None, name: str, label: str, *, from_state: str,
                 to_state: str, payload: dict[str, Any], at: dt.datetime) -> Event:
    """Append one case event; must run inside the caller's transaction (the chain head is locked)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside a transaction")
    return _append(case.congress_id, CASE, case.pk, case, actor, name, label,
                   from_state=from_state, to_state=to_state, payload=payload, at=at)


def append_subject_event(subject_type: str, subject_id: int, congress_id: int,
                         actor: User | None, name: str, label: str, *, payload: dict[str, Any],
                         at: dt.datetime, from_state: str = "", to_state: str = "") -> Event:
    """Append one event about a subject that is not a case (a meeting, a ballot, a draft, a
    filing batch, an import...) to its congress's chain; must run inside the caller's
    transaction, like append_event, and takes the same ChainHead lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_subject_event must run inside a transaction")
    if subject_type == CASE:
        raise ValueError("案件事件请用 append_event（它同时填写 case）")
    if not isinstance(subject_type, str) or not SUBJECT_TYPE.match(subject_type):
        raise ValueError(f"主体类型不合法：{subject_type!r}")
    if isinstance(subject_id, bool) or not isinstance(subject_id, int) or subject_id <= 0:
        raise ValueError(f"主体编号不合法：{subject_id!r}")
    return _append(congress_id, subject_type, subject_id, None, actor, name, label,
                   from_state=from_state, to_state=to_state, payload=payload, at=at)


def _append(congress_id: int, subject_type: str, subject_id: int, case: Case | None,
            actor: User | None, name: str, label: str, *, from_state: str, to_state: str,
            payload: dict[str, Any], at: dt.datetime) -> Event:
    key = audit_key()  # before the lock: a missing key fails without holding the head
    seq, prev_hash = _advance_head(congress_id)
    # Round-trip the payload through JSON so the hash covers exactly what is stored.
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    actor_id = actor.pk if actor else None
    actor_label = _actor_label(actor)
    digest = _digest_v3(key, prev_hash, seq, congress_id, subject_type, subject_id, actor_id,
                        actor_label, name, label, from_state, to_state, payload, at)
    event = Event.objects.create(
        congress_id=congress_id, seq=seq, subject_type=subject_type, subject_id=subject_id,
        case=case, digest_version=DIGEST_VERSION, actor=actor, actor_label=actor_label,
        name=name, label=label, from_state=from_state, to_state=to_state, payload=payload, at=at,
        prev_hash=prev_hash, hash=digest,
    )
    # The row is already locked by _advance_head: this write waits for nobody.
    ChainHead.objects.filter(congress_id=congress_id).update(hash=digest)
    return event


def _advance_head(congress_id: int) -> tuple[int, str]:
    """Lock the congress's chain head, advance its seq and read the previous hash in ONE
    `UPDATE … RETURNING` (PostgreSQL; SQLite ≥ 3.35): the head is read once per append, and the
    row lock, held to commit, serialises the congress's appends as select_for_update did. A
    congress without a head gets one (seq 0, genesis) on its first append."""
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    sql = f"UPDATE {table} SET seq = seq + 1 WHERE congress_id = %s RETURNING seq, hash"
    with connection.cursor() as cur:
        cur.execute(sql, [congress_id])
        row = cur.fetchone()
        if row is None:
            # INSERT … ON CONFLICT DO NOTHING: a concurrent first append may create it too.
            ChainHead.objects.bulk_create([ChainHead(congress_id=congress_id)], ignore_conflicts=True)
            cur.execute(sql, [congress_id])
            row = cur.fetchone()
    return int(row[0]), str(row[1])


def subject_events(subject_type: str, subject_id: int) -> QuerySet[Event]:
    """The events of one subject, oldest first (for a case, the same rows as case.events)."""
    return Event.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("seq")


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    org = f"（{actor.organization}）" if actor.organization_id else ""
    return f"{actor.name}{org}"


# ------------------------------------------------------------------ signed checkpoints


@dataclass(frozen=True)
class SignedCheckpoint:
    """One checkpoint as read back from the file or the database (its signature checked)."""

    congress_id: int
    seq: int
    hash: str
    at: str  # ISO 8601, UTC, microseconds: exactly the signed text
    signature: str
    source: str  # "检查点文件" or "数据库"


def checkpoint_file() -> Path:
    return Path(settings.LVZHI_AUDIT_CHECKPOINT_FILE)


def sign_checkpoint(congress_id: int, seq: int, hash_: str, at_iso: str,
                    key: bytes | None = None) -> str:
    return hmac_sm3(key if key is not None else audit_key(),
                    _canonical(["checkpoint", CHECKPOINT_FORMAT, congress_id, seq, hash_, at_iso]))


def _signature_ok(cp: SignedCheckpoint, key: bytes) -> bool:
    return hmac.compare_digest(
        sign_checkpoint(cp.congress_id, cp.seq, cp.hash, cp.at, key), str(cp.signature))


def _append_line(path: Path, line: str) -> None:
    """One write with O_APPEND, then fsync: the only way a `chattr +a` file can be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        data = line.encode("utf-8")
        if os.write(fd, data) != len(data):
            raise OSError(f"检查点文件 {path} 写入不完整")
        os.fsync(fd)
    finally:
        os.close(fd)


def write_checkpoint(congress_id: int, seq: int, hash_: str,
                     at: dt.datetime | None = None) -> Checkpoint:
    """Sign (congress, seq, hash, at), append it to the checkpoint file, then to the database.
    The file comes first: if it cannot be written, nothing is recorded."""
    at = at or timezone.now()
    at_iso = _at(at)
    signature = sign_checkpoint(congress_id, seq, hash_, at_iso)
    line = json.dumps({"v": CHECKPOINT_FORMAT, "congress_id": congress_id, "seq": seq,
                       "hash": hash_, "at": at_iso, "sig": signature},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _append_line(checkpoint_file(), line + "\n")
    return Checkpoint.objects.create(congress_id=congress_id, seq=seq, hash=hash_, at=at,
                                     signature=signature)


def _file_checkpoints(congress_id: int, key: bytes) -> tuple[list[SignedCheckpoint], int]:
    """The validly signed checkpoints of one congress in the file, and how many lines for it
    were not (unreadable or signed with another key: ignored, a forger gains nothing by them).
    A missing file has none; any other read error is raised."""
    path = checkpoint_file()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], 0
    found: list[SignedCheckpoint] = []
    ignored = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if item.get("congress_id") != congress_id:
                continue
            cp = SignedCheckpoint(congress_id, int(item["seq"]), str(item["hash"]),
                                  str(item["at"]), str(item["sig"]), "检查点文件")
        except (ValueError, TypeError, KeyError, AttributeError):
            ignored += 1
            continue
        if item.get("v") == CHECKPOINT_FORMAT and cp.seq > 0 and _signature_ok(cp, key):
            found.append(cp)
        else:
            ignored += 1
    return found, ignored


def _db_checkpoints(congress_id: int) -> list[SignedCheckpoint]:
    rows = (Checkpoint.objects.filter(congress_id=congress_id).order_by("seq", "id")
            .values_list("seq", "hash", "at", "signature"))
    return [SignedCheckpoint(congress_id, seq, h, _at(at), sig, "数据库")
            for seq, h, at, sig in rows]


# ------------------------------------------------------------------ verifying


@dataclass(frozen=True)
class ChainReport:
    """What verify_chain_report found. `reason` is written for the audit administrator."""

    ok: bool
    first_bad_seq: int | None
    reason: str
    rows_checked: int
    checkpoint_seq: int | None  # the latest signed checkpoint compared (the file's, if any)
    last_seq: int = 0
    last_hash: str = GENESIS
    checkpoint_source: str = ""
    ignored_checkpoint_lines: int = 0
    since_seq: int = 0  # incremental: the checkpoint the check started from (0: every row)


def _row_digest(version: int, key: bytes, prev: str, seq: int, congress_id: int,
                subject_type: str, subject_id: int, case_id: int | None, actor_id: int | None,
                actor_label: str, name: str, label: str, f: str, t: str,
                payload: dict[str, Any], at: dt.datetime | str) -> str | None:
    """The hash the row should carry under the formula it claims, or None if it cannot be right.

    The columns a formula does not hash must agree with the ones it does, or they could be
    edited unseen: a v1 row hashes case_id, so its subject must be ("case", case_id); v2 and v3
    rows hash the subject, so case_id must be subject_id for a case and empty otherwise.
    Relabelling a row's digest_version does not help a forger: v2 and v3 hash their own version
    number, v1 cannot reproduce either, and a v1/v2 row after a v3 row is refused anyway.
    """
    if version == 1:
        if case_id is None or subject_type != CASE or subject_id != case_id:
            return None
        return _digest(prev, seq, case_id, actor_id, name, f, t, payload, at)
    if case_id != (subject_id if subject_type == CASE else None):
        return None
    if version == 2:
        return _digest_v2(prev, seq, subject_type, subject_id, actor_id, name, f, t, payload, at)
    if version == 3:
        return _digest_v3(key, prev, seq, congress_id, subject_type, subject_id, actor_id,
                          actor_label, name, label, f, t, payload, at)
    return None  # an unknown version never verifies


BATCH_ROWS = 10_000  # rows per keyset query of the verifier
_ROW_COLUMNS = ("seq", "digest_version", "subject_type", "subject_id", "case_id", "actor_id",
                "actor_label", "name", "label", "from_state", "to_state", "payload", "at",
                "prev_hash", "hash")
Progress = Callable[[int, int], None]  # (rows checked so far, last seq checked)


def _batches(congress_id: int, after_seq: int, batch: int | None = None) -> Iterator[list[tuple]]:
    """The rows after `after_seq` in seq order, `batch` rows a query by keyset (seq > last) on
    the (congress, seq) unique index: memory stays flat and the first hash is computed after
    one short query. Not QuerySet.iterator(): outside a transaction Django declares PostgreSQL's
    cursor WITH HOLD, which materialises every row of the chain before returning the first."""
    batch = batch or BATCH_ROWS
    last = after_seq
    while True:
        rows = _pg_batch(congress_id, last, batch) if connection.vendor == "postgresql" else list(
            Event.objects.filter(congress_id=congress_id, seq__gt=last).order_by("seq")
            .values_list(*_ROW_COLUMNS)[:batch])
        if rows:
            yield rows
        if len(rows) < batch:
            return
        last = rows[-1][0]


# The timestamp as _at() writes it, formatted by PostgreSQL: Django's time-zone-aware loader
# parses each timestamptz in Python, a quarter of a full verification's time at 10M rows.
_PG_AT = """to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def _pg_batch(congress_id: int, after_seq: int, batch: int) -> list[tuple]:
    cols = ", ".join(_PG_AT if c == "at" else "payload::text" if c == "payload" else c
                     for c in _ROW_COLUMNS)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM {Event._meta.db_table} WHERE congress_id = %s AND seq > %s "
                    "ORDER BY seq LIMIT %s", [congress_id, after_seq, batch])
        rows = cur.fetchall()
    return [(*r[:11], json.loads(r[11]), *r[12:]) for r in rows]


def verify_chain(congress_id: int) -> tuple[bool, int | None]:
    """(ok, seq of the first broken row) of a full verification; verify_chain_report gives the
    reason too."""
    report = verify_chain_report(congress_id)
    return report.ok, report.first_bad_seq


def verify_chain_report(congress_id: int, *, full: bool = True,
                        progress: Progress | None = None) -> ChainReport:
    """Recompute every row by its digest_version (v3 with the audit key), then compare the chain
    with every validly signed checkpoint — above all those in the file outside the database,
    which its administrator cannot rewrite; the database's latest must be in the file too.

    `full=False` is the incremental check the audit page runs: it starts at the newest signed
    checkpoint (whose row must still carry the signed hash and its own valid HMAC), recomputes
    every row after it, and compares the row of every older checkpoint. The rows between older
    checkpoints were recomputed when the checkpoint after them was signed (checkpoint_chain
    signs only a chain that verifies); a later rewrite of them is found by the full check
    (`manage.py verify_chain --full`), which the audit administrator runs as often as wanted."""
    return _verify(congress_id, require_anchor=True, require_file=True, full=full, progress=progress)


def _verify(congress_id: int, *, require_anchor: bool, require_file: bool, full: bool = True,
            progress: Progress | None = None) -> ChainReport:
    key = audit_key()
    # The database's checkpoints before the file: write_checkpoint appends to the file before it
    # inserts the row, so every checkpoint read here is already in the file read next.
    db_cps = _db_checkpoints(congress_id)
    try:
        file_cps, ignored = _file_checkpoints(congress_id, key)
    except OSError as exc:
        return ChainReport(False, None, f"检查点文件 {checkpoint_file()} 无法读取：{exc}", 0, None)
    db_valid = [c for c in db_cps if _signature_ok(c, key)]
    signed = file_cps + db_valid  # the file's first: its reasons are the ones reported
    wanted: dict[int, list[SignedCheckpoint]] = {}
    for cp in signed:
        wanted.setdefault(cp.seq, []).append(cp)

    latest = max(file_cps, key=lambda c: c.seq, default=None) or max(
        db_valid, key=lambda c: c.seq, default=None)
    # Incremental: from the newest signed checkpoint of the file or the database.
    start = None if full else max(signed, key=lambda c: c.seq, default=None)
    since = start.seq if start else 0

    def bad(seq: int, reason: str, n: int, **kw: Any) -> ChainReport:
        return ChainReport(False, max(seq, 1), reason, n, latest.seq if latest else None,
                           checkpoint_source=latest.source if latest else "",
                           ignored_checkpoint_lines=ignored, since_seq=since, **kw)

    # The head first, then the rows: rows appended in between are newer than the head, never
    # missing from it, so a busy chain is not mistaken for a truncated one.
    head = ChainHead.objects.filter(congress_id=congress_id).values_list("seq", "hash").first()
    hash_at_head = None
    if start is not None:
        # Older checkpoints: each one's row is recomputed (its own HMAC over its stored prev_hash)
        # and must still carry the signed hash; one query a 1,000 checkpoints.
        older = sorted({c.seq for c in signed if c.seq < start.seq}
                       | ({head[0]} if head and 0 < head[0] < start.seq else set()))
        stored: dict[int, str] = {}
        for i in range(0, len(older), 1000):
            for (seq, version, subject_type, subject_id, case_id, actor_id, actor_label, name, label,
                 f, t, payload, at, prev_hash, digest) in Event.objects.filter(
                    congress_id=congress_id, seq__in=older[i:i + 1000]).values_list(*_ROW_COLUMNS):
                if _row_digest(version, key, prev_hash, seq, congress_id, subject_type, subject_id,
                               case_id, actor_id, actor_label, name, label, f, t, payload, at) != digest:
                    return bad(seq, f"第 {seq} 条记录（签名检查点所在）按其摘要版本重算的哈希不符：内容被改动", 0)
                stored[seq] = digest
        for seq in older:
            if seq not in stored:
                return bad(seq, f"缺少第 {seq} 条记录：记录被删除", 0)
            for cp in wanted.get(seq, ()):
                if cp.hash != stored[seq]:
                    return bad(seq, f"第 {seq} 条记录的哈希与{cp.source}中 {cp.at} 签名的检查点不符："
                                    f"该条及之前的记录在签名后被改写", 0)
        if head and head[0] < start.seq:
            hash_at_head = stored.get(head[0])

    v3_before: list[bool] = []  # incremental: is there a v3 row before the start? (asked once)

    def seen_v3_before() -> bool:
        if not v3_before:
            v3_before.append(start is not None and Event.objects.filter(
                congress_id=congress_id, seq__lt=start.seq, digest_version=3).exists())
        return v3_before[0]

    # Incremental: the start row's prev_hash is taken as stored (its predecessor is not read);
    # its own HMAC and the checkpoint's hash vouch for it.
    prev: str | None = None if start else GENESIS
    expected_seq, n = (start.seq if start else 1), 0
    seen_v3 = False
    for batch in _batches(congress_id, expected_seq - 1):
        for (seq, version, subject_type, subject_id, case_id, actor_id, actor_label, name, label,
             f, t, payload, at, prev_hash, digest) in batch:
            if seq != expected_seq:
                return bad(expected_seq, f"缺少第 {expected_seq} 条记录（下一条是第 {seq} 条）：记录被删除", n)
            if prev is not None and prev_hash != prev:
                return bad(seq, f"第 {seq} 条记录的“前一哈希”与第 {seq - 1} 条的哈希不符："
                                "前面的记录被删除、替换或改动", n)
            if version in LEGACY_VERSIONS and (seen_v3 or seen_v3_before()):
                return bad(seq, f"第 {seq} 条记录自称旧版摘要 v{version}（无密钥），但它前面已有 v3 记录："
                                "旧版只能出现在升级前写入的链首，这是伪造或降级", n)
            if _row_digest(version, key, prev_hash, seq, congress_id, subject_type, subject_id,
                           case_id, actor_id, actor_label, name, label, f, t, payload, at) != digest:
                how = ("带密钥的 HMAC-SM3 不符：内容被改动，或被人用错误的密钥或公式重算过"
                       if version == 3 else f"按其摘要版本 v{version} 重算的哈希不符：内容被改动")
                return bad(seq, f"第 {seq} 条记录{how}", n)
            for cp in wanted.get(seq, ()):
                if cp.hash != digest:
                    return bad(seq, f"第 {seq} 条记录的哈希与{cp.source}中 {cp.at} 签名的检查点不符："
                                    f"该条及之前的记录在签名后被改写", n)
            seen_v3 = seen_v3 or version == 3
            if head and seq == head[0]:
                hash_at_head = digest
            prev, expected_seq, n = digest, seq + 1, n + 1
        if progress:
            progress(n, expected_seq - 1)
    if start is not None and not n:
        # Not even the checkpoint's row: where does the chain end now? (the truncation's report)
        expected_seq = 1 + (Event.objects.filter(congress_id=congress_id, seq__lt=start.seq)
                            .order_by("-seq").values_list("seq", flat=True).first() or 0)
    last_seq = expected_seq - 1
    done = {"last_seq": last_seq, "last_hash": prev or GENESIS}

    if head is None and (n or since):
        head = ChainHead.objects.filter(congress_id=congress_id).values_list("seq", "hash").first()
        if head is None:
            return bad(1, "有事件记录却没有链头（ChainHead）：链头记录被删除", n, **done)
        # Created by a concurrent first append: compare only if it is the last row we read
        # (rows before it were checked one by one anyway).
        hash_at_head = prev if head[0] == last_seq else head[1]
    if head and head[0] > last_seq:
        return bad(last_seq + 1, f"链头记到第 {head[0]} 条，但记录只到第 {last_seq} 条：末尾的记录被删除", n,
                   **done)
    if head and head[0] > 0 and hash_at_head != head[1]:
        return bad(head[0], f"第 {head[0]} 条记录的哈希与链头不符", n, **done)
    for cp in sorted(signed, key=lambda c: (c.source != "检查点文件", -c.seq)):
        if cp.seq > last_seq:
            return bad(last_seq + 1, f"事件链只有 {last_seq} 条记录，但{cp.source}中 {cp.at} 签名的检查点"
                                     f"记录了第 {cp.seq} 条：末尾的记录被删除（链头也被回拨）", n, **done)
    for cp in db_cps:
        if cp not in db_valid:
            return bad(min(cp.seq, last_seq + 1),
                       f"数据库中第 {cp.seq} 条的检查点签名无效：检查点记录被伪造或改写", n, **done)
    # The database's latest checkpoint was appended to the file first (write_checkpoint), so the
    # file must hold it; older ones may have been archived with the file's earlier lines.
    in_file = {(c.seq, c.hash, c.at, c.signature) for c in file_cps}
    newest = [c for c in db_cps if c.seq == max(d.seq for d in db_cps)] if db_cps else []
    if require_file and newest and not any(
            (c.seq, c.hash, c.at, c.signature) in in_file for c in newest):
        cp = newest[-1]
        return bad(min(cp.seq, last_seq + 1),
                   f"数据库中有第 {cp.seq} 条（{cp.at}）的签名检查点，检查点文件 {checkpoint_file()} 中却没有："
                   "检查点文件丢失或被替换", n, **done)
    anchored = max((c.seq for c in signed), default=0)
    if (require_anchor and n and anchored < last_seq and not seen_v3
            and not (start and seen_v3_before())):
        return bad(anchored + 1, f"第 {anchored + 1} 条起的记录都是旧版摘要（v1/v2，无密钥），既没有 v3 记录"
                                 "也没有签名检查点为其作证：请运行 manage.py chain_checkpoint", n, **done)

    if not n:
        reason = "事件链为空。"
    elif start:
        tail = last_seq - start.seq
        earlier = len(wanted) - 1
        reason = (f"事件链完整（增量校验）：自{start.source}中第 {start.seq} 条（{start.at}）的签名检查点起 {n} 条"
                  "记录逐条校验通过" + (f"，较早的 {earlier} 个检查点所在记录一致" if earlier else "")
                  + "；检查点之前的记录在签名时已逐条校验，逐条重算全部记录请运行全量校验"
                  "（manage.py verify_chain --full）"
                  + (f"；其后 {tail} 条尚待下一次检查点。" if tail else "。"))
    elif latest:
        tail = last_seq - latest.seq
        reason = (f"事件链完整：{n} 条记录逐条校验通过，与{latest.source}中第 {latest.seq} 条（{latest.at}）的"
                  "签名检查点一致" + (f"；其后 {tail} 条尚待下一次检查点。" if tail else "。"))
    else:
        reason = (f"事件链完整：{n} 条记录逐条校验通过；但还没有签名检查点，末尾记录被删除时无法发现"
                  "（请定期运行 manage.py chain_checkpoint）。")
    return ChainReport(True, None, reason, n, latest.seq if latest else None,
                       checkpoint_source=latest.source if latest else "",
                       ignored_checkpoint_lines=ignored, since_seq=since, **done)


def checkpoint_chain(congress_id: int, *, force: bool = False,
                     full: bool = False) -> tuple[ChainReport, Checkpoint | None]:
    """Verify one chain and, if it is intact and moved since the last checkpoint in the file (or
    `force`), sign a checkpoint at its last row. A broken chain is never signed. The check is
    incremental from the newest signed checkpoint (`full` recomputes every row): each checkpoint
    is signed over rows recomputed since the one before, so the chain of checkpoints covers every
    row once, and the ten-minute timer stays cheap at millions of events. A chain that has only
    old unkeyed rows is verified without an anchor here: this first checkpoint is the anchor.
    `force` also re-signs into a new (rotated) file that lacks the database's latest checkpoint;
    the rows are still checked against every signed checkpoint the database holds."""
    report = _verify(congress_id, require_anchor=False, require_file=not force, full=full)
    if not report.ok or not report.rows_checked:
        return report, None
    if not force and report.checkpoint_source == "检查点文件" and report.checkpoint_seq == report.last_seq:
        return report, None  # nothing appended since: the file's last checkpoint still holds
    return report, write_checkpoint(congress_id, report.last_seq, report.last_hash)


# ------------------------------------------------------------------ the full check in the background

FULL_CHECK_TASK = "lvzhi.cases.events.verify_chain_task"
PROGRESS_EVERY = 1_000_000  # rows between two progress lines of a full check


@task()
def verify_chain_task(congress_id: int) -> dict[str, Any]:
    """The audit administrator's full check (every row recomputed), run by `manage.py db_worker`;
    its progress goes to the worker's log, its report is the task's result (the audit page
    shows it). `manage.py verify_chain --full` does the same in a terminal."""
    def progress(n: int, seq: int) -> None:
        if n % PROGRESS_EVERY < BATCH_ROWS:  # WARNING: what the worker's log shows by default
            log.warning("全量校验人大 %s 的事件链：已校验 %s 条（至第 %s 条）", congress_id, n, seq)

    report = verify_chain_report(congress_id, full=True, progress=progress)
    return {"congress": congress_id, "ok": report.ok, "first_bad_seq": report.first_bad_seq,
            "rows": report.rows_checked, "last_seq": report.last_seq, "reason": report.reason}
