"""Tampering with the event chain as its database administrator would, and each attempt caught.

The attacker here can do anything to the database (drop the append-only trigger, UPDATE and
DELETE with raw SQL, rewrite the chain head and the checkpoint table, and knows every formula)
but has neither the audit key (LVZHI_AUDIT_KEY, outside the database) nor write access to the
checkpoint file other than appending. Before the chain was keyed and checkpointed, every attack
below passed verify_chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import struct
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lvzhi.cases import events
from lvzhi.cases.engine import record
from lvzhi.cases.events import (
    GENESIS,
    _actor_label,
    _digest,
    _digest_v2,
    _digest_v3,
    append_subject_event,
    audit_key,
    audit_key_is_default,
    hmac_sm3,
    verify_chain,
    verify_chain_report,
)
from lvzhi.cases.models import ChainHead, Checkpoint, Event
from lvzhi.testing import draft

pytestmark = pytest.mark.django_db

GRANTS_SQL = Path(django_settings.BASE_DIR) / "deploy" / "postgresql" / "grants.sql"


@pytest.fixture(autouse=True)
def checkpoint_path(tmp_path, settings) -> Path:
    path = tmp_path / "audit-checkpoints.log"
    settings.LVZHI_AUDIT_CHECKPOINT_FILE = str(path)
    return path


@pytest.fixture
def chain(world):
    """A congress whose chain holds eight v3 events: a draft's creation and seven notes."""
    case = draft(world)
    with transaction.atomic():
        for i in range(7):
            record(case, "note", "备注", world.clerk, {"text": f"第{i}次跟进"})
    congress_id = world.congress.pk
    assert verify_chain(congress_id) == (True, None)
    assert Event.objects.filter(congress_id=congress_id).count() == 8
    return world, case, congress_id


def _checkpoint() -> str:
    out = StringIO()
    call_command("chain_checkpoint", stdout=out, stderr=StringIO())
    return out.getvalue()


# ------------------------------------------------------------------ the attacker's tools


def _execute(sql: str, params: list | None = None) -> None:
    """Raw SQL as the table's owner, the append-only trigger dropped first."""
    drop = {"sqlite": "DROP TRIGGER IF EXISTS cases_event_no_update",
            "postgresql": "DROP TRIGGER IF EXISTS cases_event_no_update ON cases_event"}
    with connection.cursor() as cur:
        cur.execute(drop[connection.vendor])
        cur.execute(sql, params or [])


def _rows(congress_id: int) -> list[Event]:
    return list(Event.objects.filter(congress_id=congress_id).order_by("seq"))


def _plain_sm3(fields: list) -> str:
    """The attacker's unkeyed re-hash: SM3 over the same fields v3 covers."""
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.new("sm3", text.encode("utf-8")).hexdigest()


def _v3_fields(e: Event, prev: str) -> list:
    return [3, prev, e.seq, e.congress_id, e.subject_type, e.subject_id, e.actor_id,
            e.actor_label, e.name, e.label, e.from_state, e.to_state, e.payload,
            e.at.astimezone(dt.UTC).isoformat(timespec="microseconds")]


def _rehash_forward(congress_id: int, from_seq: int, formula, version: int | None = None) -> None:
    """Recompute hash and prev_hash of every row from `from_seq` on with `formula(event, prev)`
    (optionally relabelling the rows' digest_version), then move the chain head to match."""
    rows = _rows(congress_id)
    prev = rows[from_seq - 2].hash if from_seq > 1 else GENESIS
    for e in rows[from_seq - 1:]:
        if version is not None:
            e.digest_version = version
        digest = formula(e, prev)
        _execute("UPDATE cases_event SET hash = %s, prev_hash = %s, digest_version = %s WHERE id = %s",
                 [digest, prev, e.digest_version, e.pk])
        prev = digest
    _execute("UPDATE cases_chainhead SET seq = %s, hash = %s WHERE congress_id = %s",
             [rows[-1].seq, prev, congress_id])


def _edit_payload(event: Event, payload: dict) -> None:
    _execute("UPDATE cases_event SET payload = %s WHERE id = %s",
             [json.dumps(payload, ensure_ascii=False), event.pk])


def _truncate(congress_id: int, keep: int) -> None:
    """Delete every row after `keep` and rewind the head to the last row kept."""
    kept = Event.objects.get(congress_id=congress_id, seq=keep)
    _execute("DELETE FROM cases_event WHERE congress_id = %s AND seq > %s", [congress_id, keep])
    _execute("UPDATE cases_chainhead SET seq = %s, hash = %s WHERE congress_id = %s",
             [keep, kept.hash, congress_id])


# ------------------------------------------------------------------ (a) unkeyed re-hash forward

FORGED = {"text": "伪造的跟进记录"}


def test_a_unkeyed_rehash_forward_is_caught(chain):
    """Trigger dropped, a payload edited, every later hash recomputed with SM3 (the formula the
    chain used to be), the head moved: the v3 HMAC of the edited row no longer matches."""
    _world, _case, congress_id = chain
    target = _rows(congress_id)[3]
    _edit_payload(target, FORGED)
    _rehash_forward(congress_id, target.seq, lambda e, prev: _plain_sm3(_v3_fields(e, prev)))
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq) == (False, target.seq)
    assert "HMAC" in report.reason
    assert verify_chain(congress_id) == (False, target.seq)


def test_a_rehash_forward_as_old_unkeyed_v2_rows_is_caught(chain):
    """The same forgery relabelled digest_version 2, with the v2 formula byte for byte: a v2 row
    after v3 rows is refused — unkeyed rows only ever precede a chain's first v3 row."""
    _world, _case, congress_id = chain
    target = _rows(congress_id)[3]
    _edit_payload(target, FORGED)
    _rehash_forward(congress_id, target.seq, lambda e, prev: _digest_v2(
        prev, e.seq, e.subject_type, e.subject_id, e.actor_id, e.name, e.from_state,
        e.to_state, e.payload, e.at), version=2)
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq) == (False, target.seq)
    assert "v2" in report.reason and "降级" in report.reason


@pytest.mark.parametrize("checkpointed", [False, True])
def test_a_whole_chain_rewritten_as_v2_is_caught(chain, checkpointed):
    """Rewriting every row from seq 1 as v2 leaves no v3 row to contradict it: an unkeyed chain
    is only trusted up to a signed checkpoint, and the file's checkpoint names the real hash."""
    _world, _case, congress_id = chain
    if checkpointed:
        _checkpoint()
    _edit_payload(_rows(congress_id)[0], FORGED)
    _rehash_forward(congress_id, 1, lambda e, prev: _digest_v2(
        prev, e.seq, e.subject_type, e.subject_id, e.actor_id, e.name, e.from_state,
        e.to_state, e.payload, e.at), version=2)
    report = verify_chain_report(congress_id)
    assert not report.ok
    if checkpointed:
        assert report.first_bad_seq == 8 and "检查点不符" in report.reason
    else:
        assert report.first_bad_seq == 1 and "chain_checkpoint" in report.reason


# ------------------------------------------------------------------ (b) right formula, wrong key


def test_b_rehash_forward_with_the_v3_formula_and_a_wrong_key_is_caught(chain):
    _world, _case, congress_id = chain
    wrong = os.urandom(32)
    assert wrong != audit_key()
    target = _rows(congress_id)[5]
    _edit_payload(target, FORGED)
    _rehash_forward(congress_id, target.seq, lambda e, prev: _digest_v3(
        wrong, prev, e.seq, e.congress_id, e.subject_type, e.subject_id, e.actor_id,
        e.actor_label, e.name, e.label, e.from_state, e.to_state, e.payload, e.at))
    assert verify_chain(congress_id) == (False, target.seq)


def test_b_the_same_rehash_with_the_real_key_would_pass(chain):
    """The control for (b): the forgery fails only for want of the key, not for a formula slip."""
    _world, _case, congress_id = chain
    key = audit_key()
    target = _rows(congress_id)[5]
    _edit_payload(target, FORGED)
    _rehash_forward(congress_id, target.seq, lambda e, prev: _digest_v3(
        key, prev, e.seq, e.congress_id, e.subject_type, e.subject_id, e.actor_id,
        e.actor_label, e.name, e.label, e.from_state, e.to_state, e.payload, e.at))
    assert verify_chain(congress_id) == (True, None)


# ------------------------------------------------------------------ (c) truncation, head rewound


def test_c_deleted_last_events_with_rewound_head_are_caught_by_the_file_checkpoint(chain):
    _world, _case, congress_id = chain
    assert "已签名检查点" in _checkpoint()
    _truncate(congress_id, keep=5)  # the last three events gone, the head pointing at seq 5
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq) == (False, 6)
    assert "检查点文件" in report.reason and "第 8 条" in report.reason
    assert report.rows_checked == 5 and report.checkpoint_seq == 8
    assert verify_chain(congress_id) == (False, 6)


def test_c_without_a_checkpoint_the_same_truncation_is_not_seen(chain):
    """Why the checkpoints exist: the head lives in the same database, so a rewound head agrees
    with the shortened chain. The same holds for rows appended after the last checkpoint — the
    window the 10-minute timer leaves open (docs/architecture.md, "The event chain")."""
    _world, _case, congress_id = chain
    _truncate(congress_id, keep=5)
    report = verify_chain_report(congress_id)
    assert report.ok and report.checkpoint_seq is None and "还没有签名检查点" in report.reason


# ------------------------------------------------------------------ (d) labels are hashed


@pytest.mark.parametrize("column, value", [("actor_label", "张三（伪造的单位）"), ("label", "撤回建议")])
def test_d_edited_label_is_caught(chain, column, value):
    _world, _case, congress_id = chain
    target = _rows(congress_id)[2]
    _execute(f"UPDATE cases_event SET {column} = %s WHERE id = %s", [value, target.pk])
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq) == (False, target.seq)


# ------------------------------------------------------------------ (e) database checkpoints replaced


@pytest.mark.parametrize("how", ["keep_older", "delete_all", "forge"])
def test_e_replaced_database_checkpoints_do_not_hide_truncation(chain, how):
    """Checkpoints at seq 8 and 10; the attacker truncates to 8 and makes the database's
    checkpoint table agree — keeping only the older, genuinely signed one, deleting them all,
    or writing a forged one at seq 8. The file still says 10."""
    world, case, congress_id = chain
    _checkpoint()
    with transaction.atomic():
        for i in range(2):
            record(case, "note", "备注", world.clerk, {"text": f"会后{i}"})
    _checkpoint()
    assert list(Checkpoint.objects.values_list("seq", flat=True)) == [8, 10]
    _truncate(congress_id, keep=8)
    if how == "keep_older":
        _execute("DELETE FROM cases_checkpoint WHERE seq = 10")
    elif how == "delete_all":
        _execute("DELETE FROM cases_checkpoint")
    else:
        _execute("DELETE FROM cases_checkpoint")
        head = ChainHead.objects.get(congress_id=congress_id)
        _execute("INSERT INTO cases_checkpoint (congress_id, seq, hash, at, signature) "
                 "VALUES (%s, %s, %s, %s, %s)", [congress_id, 8, head.hash, timezone.now(), "f" * 64])
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq) == (False, 9)
    assert "检查点文件" in report.reason and "第 10 条" in report.reason


def test_e_a_replaced_checkpoint_file_is_noticed_through_the_database(chain, checkpoint_path):
    """The other way round (a file without chattr +a, replaced): the database's checkpoints
    must all be in the file."""
    _world, _case, congress_id = chain
    _checkpoint()
    checkpoint_path.write_text("")
    report = verify_chain_report(congress_id)
    assert not report.ok and "检查点文件丢失或被替换" in report.reason


def test_e_a_new_checkpoint_file_needs_a_forced_checkpoint(chain, checkpoint_path):
    """Rotating the file (README: chattr -a, archive, new file, chattr +a) leaves the database's
    latest checkpoint out of it until `chain_checkpoint --force` writes it again."""
    _world, _case, congress_id = chain
    _checkpoint()
    checkpoint_path.rename(checkpoint_path.with_suffix(".1"))
    assert not verify_chain_report(congress_id).ok
    call_command("chain_checkpoint", "--force", stdout=StringIO())
    assert verify_chain(congress_id) == (True, None)


def test_e_forged_database_checkpoint_is_reported(chain):
    _world, _case, congress_id = chain
    _checkpoint()
    _execute("UPDATE cases_checkpoint SET seq = 3")
    report = verify_chain_report(congress_id)
    assert not report.ok and "签名无效" in report.reason


# ------------------------------------------------------------------ (f) untouched


def test_f_untouched_chain_with_checkpoints_is_ok(chain, checkpoint_path):
    world, case, congress_id = chain
    assert "已签名检查点，第 8 条" in _checkpoint()
    assert "没有新记录" in _checkpoint()  # unchanged: nothing signed twice
    with transaction.atomic():
        record(case, "note", "备注", world.clerk, {"text": "再跟进"})
    report = verify_chain_report(congress_id)
    assert report.ok and report.checkpoint_seq == 8 and "其后 1 条尚待" in report.reason
    _checkpoint()
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq, report.rows_checked, report.checkpoint_seq) == (
        True, None, 9, 9)
    assert report.checkpoint_source == "检查点文件" and "事件链完整" in report.reason
    assert verify_chain(congress_id) == (True, None)
    lines = [json.loads(line) for line in checkpoint_path.read_text().splitlines()]
    assert [(c["congress_id"], c["seq"]) for c in lines] == [(congress_id, 8), (congress_id, 9)]
    assert lines[-1]["hash"] == ChainHead.objects.get(congress_id=congress_id).hash
    assert list(Checkpoint.objects.values_list("seq", "signature")) == [
        (c["seq"], c["sig"]) for c in lines]


# ------------------------------------------------------------------ the checkpoint command and file


def test_command_refuses_to_sign_a_broken_chain(chain, checkpoint_path):
    _world, _case, congress_id = chain
    _edit_payload(_rows(congress_id)[1], FORGED)
    with pytest.raises(CommandError, match="校验未通过"):
        _checkpoint()
    assert not Checkpoint.objects.exists() and not checkpoint_path.exists()


def test_checkpoint_file_is_appended_to_never_rewritten(chain, checkpoint_path, monkeypatch):
    checkpoint_path.write_text("earlier line kept as is\n")
    flags = []
    real_open = os.open
    monkeypatch.setattr(events.os, "open", lambda p, f, *a: flags.append(f) or real_open(p, f, *a))
    _checkpoint()
    assert flags and all(f & os.O_APPEND and not f & os.O_TRUNC for f in flags)
    lines = checkpoint_path.read_text().splitlines()
    assert lines[0] == "earlier line kept as is" and json.loads(lines[1])["seq"] == 8


def test_lines_signed_with_another_key_are_ignored(chain, checkpoint_path):
    """Anyone who may append to the file can add lines, but cannot sign them."""
    _world, _case, congress_id = chain
    at = "2026-01-01T00:00:00.000000+00:00"
    forged = {"v": 1, "congress_id": congress_id, "seq": 99, "hash": "e" * 64, "at": at,
              "sig": events.sign_checkpoint(congress_id, 99, "e" * 64, at, key=os.urandom(32))}
    checkpoint_path.write_text(json.dumps(forged) + "\nnot json\n")
    report = verify_chain_report(congress_id)
    assert report.ok and report.checkpoint_seq is None and report.ignored_checkpoint_lines == 2


def test_unreadable_checkpoint_file_fails_verification(chain, checkpoint_path, settings):
    _world, _case, congress_id = chain
    checkpoint_path.mkdir()  # a directory where the file should be: reading it fails
    report = verify_chain_report(congress_id)
    assert not report.ok and "无法读取" in report.reason


# ------------------------------------------------------------------ rows from before the key


def _append_legacy(case, version: int, actor, text: str) -> Event:
    """Write a row exactly as append_event did before the chain was keyed (v1 or v2)."""
    head = ChainHead.objects.select_for_update().get(congress_id=case.congress_id)
    seq, at, payload = head.seq + 1, timezone.now(), {"text": text}
    actor_id = actor.pk if actor else None
    if version == 1:
        digest = _digest(head.hash, seq, case.pk, actor_id, "note", case.state, case.state, payload, at)
    else:
        digest = _digest_v2(head.hash, seq, "case", case.pk, actor_id, "note", case.state,
                            case.state, payload, at)
    event = Event.objects.create(
        congress_id=case.congress_id, seq=seq, case=case, subject_type="case", subject_id=case.pk,
        digest_version=version, actor=actor, actor_label=_actor_label(actor), name="note",
        label="备注", from_state=case.state, to_state=case.state, payload=payload, at=at,
        prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


@pytest.fixture
def legacy_only(world):
    """An upgraded database right after migrating: a chain of v1 and v2 rows, no v3 yet."""
    case = draft(world)
    with connection.cursor() as cur:  # the draft's own (v3) event is not part of that history
        cur.execute("DELETE FROM cases_event WHERE congress_id = %s", [world.congress.pk])
    ChainHead.objects.filter(congress=world.congress).update(seq=0, hash=GENESIS)
    with transaction.atomic():
        for version in (1, 1, 2, 2):
            _append_legacy(case, version, world.clerk, f"旧记录 v{version}")
    return world, case, world.congress.pk


def test_unkeyed_chain_is_unanchored_until_a_checkpoint(legacy_only):
    _world, _case, congress_id = legacy_only
    report = verify_chain_report(congress_id)
    assert (report.ok, report.first_bad_seq) == (False, 1) and "chain_checkpoint" in report.reason
    _checkpoint()  # trust on first use: the checkpoint right after migrating is the anchor
    assert verify_chain(congress_id) == (True, None)


def test_rewritten_unkeyed_rows_are_caught_by_the_checkpoint(legacy_only):
    _world, _case, congress_id = legacy_only
    _checkpoint()
    _edit_payload(_rows(congress_id)[1], FORGED)
    _rehash_forward(congress_id, 2, lambda e, prev: (
        _digest(prev, e.seq, e.case_id, e.actor_id, e.name, e.from_state, e.to_state, e.payload, e.at)
        if e.digest_version == 1 else
        _digest_v2(prev, e.seq, e.subject_type, e.subject_id, e.actor_id, e.name, e.from_state,
                   e.to_state, e.payload, e.at)))
    assert verify_chain(congress_id) == (False, 4)


def test_rewritten_unkeyed_rows_are_caught_by_the_first_v3_row(legacy_only):
    """The first v3 row's HMAC covers the last old row's hash: old rows re-hashed forward break
    it, and it cannot be re-hashed without the key."""
    world, case, congress_id = legacy_only
    with transaction.atomic():
        first_v3 = record(case, "note", "备注", world.clerk, {"text": "升级后第一条"})
    assert verify_chain(congress_id) == (True, None)  # anchored by the v3 row, no checkpoint
    _edit_payload(_rows(congress_id)[0], FORGED)
    rows = _rows(congress_id)
    _rehash_forward(congress_id, 1, lambda e, prev: (
        _digest(prev, e.seq, e.case_id, e.actor_id, e.name, e.from_state, e.to_state, e.payload, e.at)
        if e.digest_version == 1 else
        _digest_v2(prev, e.seq, e.subject_type, e.subject_id, e.actor_id, e.name, e.from_state,
                   e.to_state, e.payload, e.at) if e.digest_version == 2 else
        rows[e.seq - 1].hash))  # the v3 row: the attacker can only keep its hash
    assert verify_chain(congress_id) == (False, first_v3.seq)


# ------------------------------------------------------------------ the key


HEX_KEY = "a1" * 32


def test_audit_key_from_the_environment_or_a_file(settings, tmp_path):
    assert audit_key_is_default()
    settings.LVZHI_AUDIT_KEY = HEX_KEY
    assert audit_key() == bytes.fromhex(HEX_KEY) and not audit_key_is_default()
    settings.LVZHI_AUDIT_KEY = ""
    key_file = tmp_path / "audit.key"
    key_file.write_text(HEX_KEY.upper() + "\n")
    settings.LVZHI_AUDIT_KEY_FILE = str(key_file)
    assert audit_key() == bytes.fromhex(HEX_KEY)
    settings.LVZHI_AUDIT_KEY = HEX_KEY
    with pytest.raises(ImproperlyConfigured, match="只能设置其一"):
        audit_key()


@pytest.mark.parametrize("value, message", [("abcd" * 8, "太短"), ("密钥" * 40, "十六进制")])
def test_weak_or_malformed_keys_are_refused(settings, value, message):
    settings.LVZHI_AUDIT_KEY = value
    with pytest.raises(ImproperlyConfigured, match=message):
        audit_key()


def test_missing_key_file_is_refused(settings, tmp_path):
    settings.LVZHI_AUDIT_KEY_FILE = str(tmp_path / "nowhere.key")
    with pytest.raises(ImproperlyConfigured, match="无法读取"):
        audit_key()


def test_default_key_only_in_debug_or_tests(settings, monkeypatch):
    test_key = audit_key()
    monkeypatch.setattr(events, "_running_tests", lambda: False)
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="未配置事件链密钥"):
        audit_key()
    settings.DEBUG = True
    dev_key = audit_key()
    assert len(dev_key) == len(test_key) == 32 and dev_key != test_key


def test_appending_without_a_key_fails_before_writing(world, settings, monkeypatch):
    monkeypatch.setattr(events, "_running_tests", lambda: False)
    settings.DEBUG = False
    before = Event.objects.count()
    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        append_subject_event("meeting", 1, world.congress.pk, None, "convene", "召开会议",
                             payload={}, at=timezone.now())
    assert Event.objects.count() == before


def test_events_signed_with_one_key_fail_under_another(chain, settings):
    _world, _case, congress_id = chain
    settings.LVZHI_AUDIT_KEY = HEX_KEY
    assert verify_chain(congress_id) == (False, 1)


# ------------------------------------------------------------------ HMAC-SM3 known answers


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF


def _sm3_reference(message: bytes) -> bytes:
    """SM3 written out from GB/T 32905-2016 in plain Python: a second implementation, independent
    of OpenSSL's, checked below against the standard's own examples."""
    iv = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600,
          0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]
    p0 = lambda x: x ^ _rotl(x, 9) ^ _rotl(x, 17)  # noqa: E731
    p1 = lambda x: x ^ _rotl(x, 15) ^ _rotl(x, 23)  # noqa: E731
    padded = (message + b"\x80" + b"\x00" * ((55 - len(message)) % 64)
              + (len(message) * 8).to_bytes(8, "big"))
    v = iv
    for off in range(0, len(padded), 64):
        w = list(struct.unpack(">16I", padded[off:off + 64]))
        for j in range(16, 68):
            w.append(p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        w1 = [w[j] ^ w[j + 4] for j in range(64)]
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            t = 0x79CC4519 if j < 16 else 0x7A879D8A
            ss1 = _rotl((_rotl(a, 12) + e + _rotl(t, j)) & 0xFFFFFFFF, 7)
            ss2 = ss1 ^ _rotl(a, 12)
            ff = a ^ b ^ c if j < 16 else (a & b) | (a & c) | (b & c)
            gg = e ^ f ^ g if j < 16 else (e & f) | (~e & g)
            tt1 = (ff + d + ss2 + w1[j]) & 0xFFFFFFFF
            tt2 = (gg + h + ss1 + w[j]) & 0xFFFFFFFF
            a, b, c, d, e, f, g, h = tt1, a, _rotl(b, 9), c, p0(tt2), e, _rotl(f, 19), g
        v = [x ^ y for x, y in zip(v, [a, b, c, d, e, f, g, h], strict=True)]
    return struct.pack(">8I", *v)


def _hmac_sm3_reference(key: bytes, message: bytes) -> str:
    """RFC 2104 spelled out: block size 64, key hashed if longer, zero-padded."""
    if len(key) > 64:
        key = _sm3_reference(key)
    key = key.ljust(64, b"\x00")
    inner = _sm3_reference(bytes(k ^ 0x36 for k in key) + message)
    return _sm3_reference(bytes(k ^ 0x5C for k in key) + inner).hex()


def test_reference_sm3_matches_the_standard_examples():
    """GB/T 32905-2016 Appendix A: "abc" and "abcd" × 16."""
    assert _sm3_reference(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    assert _sm3_reference(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


GMT_0042_VECTORS = [  # GM/T 0042-2015 Appendix D.3 (key, message, HMAC-SM3)
    (bytes(range(1, 33)), b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" * 2,
     "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a"),
    (bytes(range(1, 38)), b"\xcd" * 50,
     "220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae"),
    (b"\x0b" * 32, b"Hi There",
     "c0ba18c68b90c88bc07de794bfc7d2c8d19ec31ed8773bc2b390c9604e0be11e"),
    (b"Jefe", b"what do ya want for nothing?",
     "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"),
]


@pytest.mark.parametrize("key, message, expected", GMT_0042_VECTORS)
def test_hmac_sm3_published_vectors(key, message, expected):
    assert hmac_sm3(key, message) == expected
    assert _hmac_sm3_reference(key, message) == expected


@pytest.mark.parametrize("key_len", [0, 1, 32, 63, 64, 65, 128, 200])
def test_hmac_sm3_agrees_with_the_reference_for_every_key_length(key_len):
    key = bytes((7 * i + 3) % 256 for i in range(key_len))
    message = "事件链检查点".encode() * 11
    assert hmac_sm3(key, message) == _hmac_sm3_reference(key, message)


def test_v3_digest_is_hmac_sm3_over_the_documented_fields():
    """Pinned against the field list of docs/architecture.md, computed by the reference code."""
    key = bytes(range(32))
    at = dt.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    digest = _digest_v3(key, GENESIS, 1, 5, "case", 7, 3, "张三（北京市人大常委会）", "register",
                        "立案", "submitted", "registered", {"number": "京建〔2026〕1号", "n": 2}, at)
    canonical = ('[3,"' + GENESIS + '",1,5,"case",7,3,"张三（北京市人大常委会）","register","立案",'
                 '"submitted","registered",{"n":2,"number":"京建〔2026〕1号"},'
                 '"2026-03-01T01:30:00.123456+00:00"]')
    assert digest == _hmac_sm3_reference(key, canonical.encode("utf-8"))
    assert digest == "86860e02f4d489326e7fbb192c967b45737d1622d34bab235de3044db8f765a2"


# ------------------------------------------------------------------ PostgreSQL: the app role


def _app_privileges_sql(role: str) -> str:
    """The part of deploy/postgresql/grants.sql that runs after every migrate, for `role`."""
    text = GRANTS_SQL.read_text(encoding="utf-8")
    section = re.search(r"-- BEGIN app-privileges\n(.*)-- END app-privileges", text, re.S)
    assert section, "grants.sql has lost its app-privileges markers"
    return re.sub(r"\blvzhi_app\b", role, section.group(1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's")
def test_app_role_cannot_disable_the_trigger_nor_rewrite_events(chain):
    """Granted as grants.sql grants lvzhi_app, the application's role can read and append
    events, move the chain head and add checkpoints — and nothing else on those tables."""
    world, _case, congress_id = chain
    role = f"lvzhi_app_test_{os.getpid()}"
    refused = [
        "ALTER TABLE cases_event DISABLE TRIGGER cases_event_no_update",
        "ALTER TABLE cases_event DISABLE TRIGGER ALL",
        "DROP TRIGGER cases_event_no_update ON cases_event",
        "CREATE OR REPLACE FUNCTION cases_event_no_update() RETURNS trigger AS "
        "$$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER cases_event_again BEFORE INSERT ON cases_event "
        "FOR EACH ROW EXECUTE FUNCTION cases_event_no_update()",
        "SET session_replication_role = replica",
        f"UPDATE cases_event SET payload = '{{}}' WHERE congress_id = {congress_id}",
        f"UPDATE cases_event SET label = '改过的' WHERE congress_id = {congress_id}",
        f"DELETE FROM cases_event WHERE congress_id = {congress_id}",
        "TRUNCATE cases_event",
        "UPDATE cases_checkpoint SET seq = 0",
        "DELETE FROM cases_checkpoint",
        "TRUNCATE cases_checkpoint",
    ]
    with connection.cursor() as cur:
        cur.execute("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cur.fetchone()[0]:
            pytest.fail("测试数据库角色需要 CREATEROLE 才能创建受限角色：ALTER ROLE lvzhi CREATEROLE（见 .ci/run）")
        # All inside the test's transaction: the role disappears with its rollback.
        cur.execute(f"CREATE ROLE {role} NOLOGIN")
        cur.execute(f"GRANT {role} TO current_user")
        cur.execute(_app_privileges_sql(role))
        cur.execute(f"SET ROLE {role}")
        try:
            for sql in refused:
                with pytest.raises(DatabaseError, match=r"permission denied|must be owner"), \
                        transaction.atomic():
                    cur.execute(sql)
            with transaction.atomic():  # what the application itself does
                event = append_subject_event("meeting", 41, congress_id, world.clerk, "convene",
                                             "召开会议", payload={"agenda": ["审议"]},
                                             at=timezone.now())
                events.write_checkpoint(congress_id, event.seq, event.hash)
            assert verify_chain(congress_id) == (True, None)
            cur.execute("SELECT current_user")
            assert cur.fetchone()[0] == role
        finally:
            cur.execute("RESET ROLE")
    assert event.seq == 9 and event.digest_version == 3
    assert verify_chain_report(congress_id).checkpoint_seq == 9
