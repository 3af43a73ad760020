"""The read replica (config/db_router.py): dashboards read there, writes and everything else stay
on the primary, and what the primary writes reaches the replica.

The PostgreSQL tests need a real streaming replica: `.ci/run` starts one (pg_basebackup -R from
the lvzhi cluster) and sets DATABASE_REPLICA_URL; without it they are skipped. The replica alias
mirrors the test database (TEST MIRROR), which the replica receives by streaming, so these tests
commit (transactional) and wait for the replica to replay the primary's WAL.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from config.db_router import PRIMARY_ONLY_APPS, ReplicaRouter, on_replica, replica_in_use, replica_reads_in_tests
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.testing import build_world, draft, to_state

WITH_REPLICA = bool(os.environ.get("DATABASE_REPLICA_URL") and os.environ.get("DATABASE_URL"))
needs_replica = pytest.mark.skipif(not WITH_REPLICA, reason="需要 DATABASE_REPLICA_URL（.ci/run 启动的流复制备库）")


def test_only_the_primary_is_migrated_and_written():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "cases") is True
    assert router.allow_migrate("replica", "cases") is False
    assert router.db_for_write(Case) == "default"
    with on_replica():
        assert router.db_for_write(Case) == "default"


def test_reads_leave_the_primary_only_inside_on_replica():
    router = ReplicaRouter()

    @on_replica
    def view() -> bool:
        return replica_in_use()

    assert view.__name__ == "view"  # the decorator keeps what URLconfs and tests see
    assert router.db_for_read(Case) == "default"
    with replica_reads_in_tests():
        assert view() is WITH_REPLICA  # without a replica configured, nothing moves
        assert replica_in_use() is False  # the block is over
    # In a test the replica alias is a mirror that cannot see the test's transaction: unless the
    # test asks for it, an @on_replica view reads default like every other test.
    assert view() is False


def test_a_block_that_wrote_reads_its_own_writes_from_the_primary():
    router = ReplicaRouter()
    with on_replica(), replica_reads_in_tests():
        before = replica_in_use()
        router.db_for_write(Case)  # e.g. a transition fired from a dashboard
        assert before is WITH_REPLICA
        assert replica_in_use() is False and router.db_for_read(Case) == "default"


@pytest.mark.django_db
def test_reads_inside_a_write_transaction_stay_on_the_primary():
    with on_replica(), replica_reads_in_tests(), transaction.atomic():
        assert replica_in_use() is False
        assert ReplicaRouter().db_for_read(Case) == "default"


def test_sessions_and_login_state_are_never_read_stale():
    from django.contrib.sessions.models import Session

    assert Session._meta.app_label in PRIMARY_ONLY_APPS
    with on_replica(), replica_reads_in_tests():
        assert ReplicaRouter().db_for_read(Session) == "default"


# ------------------------------------------------------------------ a real streaming replica
def _caught_up(timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as c:
        c.execute("SELECT pg_current_wal_lsn()")
        target = c.fetchone()[0]
    end = time.monotonic() + timeout
    with connections["replica"].cursor() as c:
        while True:
            c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if c.fetchone()[0]:
                return
            if time.monotonic() > end:
                raise AssertionError(f"备库 {timeout:.0f} 秒内未追上主库")
            time.sleep(0.05)


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_alias_is_a_standby_of_the_primary():
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = c.fetchone()
    with connections["default"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery(), current_database()")
        primary = c.fetchone()
    assert in_recovery is True and primary == (False, name)
    assert connections["replica"].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_reads_the_replica_and_a_transition_writes_the_primary(client):
    world = build_world()
    case = to_state(world, draft(world), "handling")
    _caught_up()
    client.force_login(world.leader)

    with replica_reads_in_tests(), CaptureQueriesContext(connections["replica"]) as on_standby, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        r = client.get("/reports/dashboard/")
    assert r.status_code == 200
    standby_sql = [q["sql"] for q in on_standby.captured_queries]
    primary_sql = [q["sql"] for q in on_primary.captured_queries]
    # the figures come from the summary rows (reports_factcount …), the case lists from cases_case
    assert any("reports_" in s for s in standby_sql), "看板的统计没有读备库"
    assert not any("cases_case" in s for s in primary_sql), "看板的统计读了主库"
    assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in standby_sql)

    # A transition fired inside on_replica still reads and writes the primary only (the engine's
    # transaction), and what it wrote reaches the replica by streaming.
    fresh = draft(world, title="关于增设社区养老服务站的建议")
    with replica_reads_in_tests(), on_replica(), CaptureQueriesContext(connections["replica"]) as during:
        fire(fresh, "submit", world.deputy_user)
    assert during.captured_queries == []
    _caught_up()
    assert Case.objects.using("replica").get(pk=fresh.pk).state == "submitted"
    assert Case.objects.using("replica").get(pk=case.pk).state == "handling"
