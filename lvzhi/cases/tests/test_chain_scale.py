"""The chain at millions of events: the head advanced by one statement, the verifier streaming in
keyset batches, the incremental check from the newest signed checkpoint that the audit page runs,
the full check as a command and a background task, and the benchmark that prints the figures."""

from __future__ import annotations

import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from lvzhi.cases import events
from lvzhi.cases.engine import record
from lvzhi.cases.events import (
    FULL_CHECK_TASK,
    append_subject_event,
    verify_chain,
    verify_chain_report,
    verify_chain_task,
)
from lvzhi.cases.models import ChainHead, Event
from lvzhi.core.models import Role
from lvzhi.testing import draft, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_path(tmp_path, settings) -> Path:
    path = tmp_path / "audit-checkpoints.log"
    settings.LVZHI_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def _notes(world, n: int, start: int = 0) -> None:
    with transaction.atomic():
        for i in range(start, start + n):
            append_subject_event("meeting", 1 + i % 5, world.congress.pk, world.clerk, "note", "会议纪要",
                                 payload={"text": f"第{i}条纪要", "n": i}, at=timezone.now())


def _checkpoint() -> None:
    call_command("chain_checkpoint", stdout=StringIO(), stderr=StringIO())


def _edit_payload(event: Event, payload: dict) -> None:
    drop = {"sqlite": "DROP TRIGGER IF EXISTS cases_event_no_update",
            "postgresql": "DROP TRIGGER IF EXISTS cases_event_no_update ON cases_event"}
    with connection.cursor() as cur:
        cur.execute(drop[connection.vendor])
        cur.execute("UPDATE cases_event SET payload = %s WHERE id = %s",
                    [json.dumps(payload, ensure_ascii=False), event.pk])


def _row(congress_id: int, seq: int) -> Event:
    return Event.objects.get(congress_id=congress_id, seq=seq)


def test_an_append_reads_and_advances_the_head_in_one_statement(world):
    _notes(world, 1)
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        event = append_subject_event("meeting", 1, world.congress.pk, world.clerk, "note", "会议纪要",
                                     payload={"text": "一条"}, at=timezone.now())
    head_sql = [q["sql"] for q in ctx.captured_queries if "cases_chainhead" in q["sql"]]
    assert len(head_sql) == 2, head_sql  # UPDATE … RETURNING (lock, advance, read), then the hash
    assert "RETURNING" in head_sql[0].upper() and not any(s.upper().startswith("SELECT") for s in head_sql)
    head = ChainHead.objects.get(congress=world.congress)
    assert (head.seq, head.hash) == (event.seq, event.hash)
    assert verify_chain(world.congress.pk) == (True, None)


def test_a_congress_without_a_head_gets_one_on_its_first_append(world):
    ChainHead.objects.filter(congress=world.congress).delete()
    assert not Event.objects.filter(congress=world.congress).exists()
    _notes(world, 2)
    assert ChainHead.objects.get(congress=world.congress).seq == 2
    assert verify_chain(world.congress.pk) == (True, None)


def test_verify_reads_keyset_batches_not_a_held_cursor(world, monkeypatch):
    _notes(world, 35)
    total = ChainHead.objects.get(congress=world.congress).seq
    monkeypatch.setattr(events, "BATCH_ROWS", 10)
    seen: list[tuple[int, int]] = []
    with CaptureQueriesContext(connection) as ctx:
        report = verify_chain_report(world.congress.pk, progress=lambda n, seq: seen.append((n, seq)))
    assert report.ok and report.rows_checked == total
    batch_queries = [q["sql"] for q in ctx.captured_queries if "FROM \"cases_event\"" in q["sql"]
                     or "FROM cases_event" in q["sql"]]
    assert len(batch_queries) == total // 10 + 1
    assert not any("DECLARE" in q["sql"].upper() for q in ctx.captured_queries)
    assert [n for n, _ in seen] == [min(10 * i, total) for i in range(1, total // 10 + 2)]


def test_incremental_check_starts_at_the_newest_checkpoint(world):
    _notes(world, 20)
    _checkpoint()
    signed = ChainHead.objects.get(congress=world.congress).seq
    _notes(world, 5, start=20)
    report = verify_chain_report(world.congress.pk, full=False)
    assert report.ok and report.since_seq == signed
    assert report.rows_checked == 6  # the checkpoint's own row and the five after it
    assert "增量校验" in report.reason and "verify_chain --full" in report.reason
    assert verify_chain_report(world.congress.pk).rows_checked == signed + 5  # the full one: all


def test_incremental_check_finds_an_edit_after_the_checkpoint(world):
    _notes(world, 10)
    _checkpoint()
    _notes(world, 4, start=10)
    target = _row(world.congress.pk, ChainHead.objects.get(congress=world.congress).seq - 2)
    _edit_payload(target, {"text": "伪造"})
    report = verify_chain_report(world.congress.pk, full=False)
    assert (report.ok, report.first_bad_seq) == (False, target.seq)


def test_incremental_check_finds_a_rewritten_checkpoint_row(world):
    _notes(world, 6)
    _checkpoint()
    first = ChainHead.objects.get(congress=world.congress).seq
    _notes(world, 6, start=6)
    _checkpoint()
    _edit_payload(_row(world.congress.pk, first), {"text": "伪造"})  # the older checkpoint's row
    report = verify_chain_report(world.congress.pk, full=False)
    assert (report.ok, report.first_bad_seq) == (False, first)
    # The newest checkpoint's own row: its HMAC no longer matches.
    newest = ChainHead.objects.get(congress=world.congress).seq
    _edit_payload(_row(world.congress.pk, newest), {"text": "伪造"})
    assert verify_chain_report(world.congress.pk, full=False).first_bad_seq in (first, newest)


def test_an_edit_between_checkpoints_needs_the_full_check(world):
    """What the incremental check does not see, and the full one does: the documented trade."""
    _notes(world, 10)
    _checkpoint()
    middle = _row(world.congress.pk, 5)
    _edit_payload(middle, {"text": "签名之后改写"})
    assert verify_chain_report(world.congress.pk, full=False).ok
    assert verify_chain(world.congress.pk) == (False, middle.seq)
    with pytest.raises(CommandError, match="校验未通过"):
        call_command("verify_chain", "--full", stdout=StringIO(), stderr=StringIO())


def test_incremental_check_finds_truncation_below_the_checkpoint(world):
    _notes(world, 10)
    _checkpoint()
    drop = {"sqlite": "DROP TRIGGER IF EXISTS cases_event_no_delete",
            "postgresql": "DROP TRIGGER IF EXISTS cases_event_no_delete ON cases_event"}
    with connection.cursor() as cur:
        cur.execute(drop[connection.vendor])
        cur.execute("DELETE FROM cases_event WHERE congress_id = %s AND seq > 7", [world.congress.pk])
        kept = _row(world.congress.pk, 7)
        cur.execute("UPDATE cases_chainhead SET seq = 7, hash = %s WHERE congress_id = %s",
                    [kept.hash, world.congress.pk])
    report = verify_chain_report(world.congress.pk, full=False)
    assert not report.ok and report.first_bad_seq == 8 and "末尾的记录被删除" in report.reason


def test_chain_checkpoint_is_incremental(world):
    _notes(world, 10)
    _checkpoint()
    _notes(world, 3, start=10)
    with CaptureQueriesContext(connection) as ctx:
        _checkpoint()
    rows_read = [q for q in ctx.captured_queries if "seq\" >" in q["sql"] or "seq > " in q["sql"]]
    assert rows_read, "the rows after the checkpoint were read"
    head = ChainHead.objects.get(congress=world.congress)
    assert events.Checkpoint.objects.order_by("-seq").first().seq == head.seq
    assert verify_chain(world.congress.pk) == (True, None)


def test_full_check_command_prints_progress(world):
    _notes(world, 30)
    out = StringIO()
    call_command("verify_chain", "--full", "--every", "10", "--congress", str(world.congress.pk), stdout=out)
    text = out.getvalue()
    assert "全量校验通过" in text and "已校验" in text


def test_auditor_checks_incrementally_and_queues_the_full_check(client, world,
                                                               django_capture_on_commit_callbacks):
    case = draft(world)
    with transaction.atomic():
        record(case, "note", "备注", world.clerk, {"text": "跟进"})
    _checkpoint()
    auditor = make_user("auditor-x", Role.AUDIT_ADMIN, world.congress)
    client.force_login(auditor)
    pk = Event.objects.filter(congress=world.congress).values_list("pk", flat=True).first()
    page = client.post("/admin/cases/event/", {"action": "check_chain", "_selected_action": [pk]},
                       follow=True)
    assert page.status_code == 200 and "增量校验" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/admin/cases/event/", {"action": "full_check_chain", "_selected_action": [pk]},
                           follow=True)
    text = page.content.decode()
    assert "已提交后台全量校验" in text
    task = DBTaskResult.objects.get(task_path=FULL_CHECK_TASK)
    assert task.args_kwargs == {"args": [world.congress.pk], "kwargs": {}}
    assert "全量校验排队等待后台任务处理" in client.get("/admin/cases/event/").content.decode()
    # The worker runs it (here by hand) and the page shows its report.
    result = verify_chain_task.func(world.congress.pk)
    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCEEDED", return_value=result,
                                                   finished_at=timezone.now())
    text = client.get("/admin/cases/event/").content.decode()
    assert "完成的全量校验" in text and "事件链完整" in text


def test_bench_chain_prints_every_figure(world, capsys):
    sys.path.insert(0, str(Path(django_settings.BASE_DIR) / "benchmarks"))
    try:
        import bench_chain
    finally:
        sys.path.pop(0)
    bench_chain.main(["--in-place", "--events", "200", "--append", "4"])
    out = capsys.readouterr().out
    for phase in ("build (hash in Python + bulk write)", "append old", "append new", "full verify",
                  "incremental verify", "chain_checkpoint (incremental)"):
        assert phase in out, phase
    assert out.count("ok=True") == 2
    congress_id = ChainHead.objects.order_by("-seq").values_list("congress_id", flat=True).first()
    assert verify_chain(congress_id) == (True, None)
