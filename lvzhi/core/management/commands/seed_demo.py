"""`python manage.py seed_demo`: the 北辰市 demo world, built through the real case engine.

Idempotent: when the demo congress exists it only prints the logins again. `--reset` starts
over, which on SQLite means a new database file (the event log is append-only and cannot be
deleted row by row); on other databases it refuses and says how to start from an empty one.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from lvzhi.core.models import Congress, Role, User
from lvzhi.demo import data as D

ROLE_LABELS = dict(Role.choices)


def _pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns in a terminal."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - shown)


class Command(BaseCommand):
    help = "生成北辰市演示数据（约500名代表、80个承办单位、400件议案建议，覆盖全部办理状态）并打印演示账号"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--small", action="store_true",
                            help="小规模（30名代表、约40件建议），用于测试")
        parser.add_argument("--reset", action="store_true",
                            help="重新生成：SQLite 下删除并重建数据库文件（其中所有数据都会丢失）")

    def handle(self, *args, small: bool = False, reset: bool = False, **options) -> None:
        from lvzhi.demo.builder import FULL, SMALL, DemoBuilder, DemoError, summary

        exists = Congress.objects.filter(name=D.CITY_NAME).exists()
        if exists and reset:
            self._recreate_database()
            exists = False
        if exists:
            self.stdout.write(f"演示数据已存在（{D.CITY_NAME}），不再重复生成。如需重新生成：seed_demo --reset")
            self._print_logins()
            return
        self.stdout.write(f"正在生成演示数据：{D.CITY_NAME}{'（小规模）' if small else ''} …")
        start = time.monotonic()
        try:
            congress = DemoBuilder(SMALL if small else FULL, out=self.stdout).build()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        call_command("reindex_search", stdout=self.stdout)  # the demo starts with a search index
        call_command("rebuild_case_facts", stdout=self.stdout)  # and with the dashboard's summary
        elapsed = time.monotonic() - start
        self._print_summary(summary(congress), elapsed, congress)
        self._print_logins()

    def _recreate_database(self) -> None:
        conn = connections["default"]
        if conn.vendor != "sqlite":
            raise CommandError(
                "--reset 需要一个空数据库：事件日志只能追加、不能删除。请新建一个空的数据库，"
                "执行 manage.py migrate 后再运行 manage.py seed_demo。")
        path = Path(conn.settings_dict["NAME"])
        self.stdout.write(f"--reset：删除并重建 SQLite 数据库 {path}")
        conn.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)

    def _print_summary(self, s: dict, elapsed: float, congress) -> None:
        from lvzhi.cases.kinds import all_kinds
        from lvzhi.core.sections import all_sections

        w = self.stdout.write
        w(f"\n完成，用时 {elapsed:.1f} 秒。代表 {s['deputies']} 名，承办单位 {s['units']} 个，账号 {s['users']} 个。")
        for kind in all_kinds():  # every kind's cases by state, labelled as the kind declares them
            parts = [f"{kind.state_label(state)} {n}" for (k, state), n in sorted(s["by_state"].items())
                     if k == kind.code]
            total = sum(n for (k, _), n in s["by_state"].items() if k == kind.code)
            if total:
                w(f"{kind.label} {total} 件：" + "，".join(parts))
        lights = {"green": "正常", "yellow": "临期", "red": "超期"}
        w("办理中答复期限：" + "，".join(f"{lights.get(k, k)} {v}" for k, v in sorted(s["lights"].items())))
        w(f"重新办理 {s['round2']} 件，重点建议 {s['key']} 件，打捆督办专题 {s['bundles']} 个，"
          f"已公开 {s['public']} 件，申请调整待审 {s['reassign_pending']} 件，已延期 {s['extended']} 件，"
          f"承诺事项落实中 {s['commitments'].get('open', 0)} 项、已落实 {s['commitments'].get('kept', 0)} 项")
        for section in all_sections():  # the parts that are not case kinds count themselves
            if section.summary is not None:
                w(f"{section.label}：{section.summary(congress)}")
        w(f"事件 {s['events']} 条，SM3 链校验：{'通过' if s['chain_ok'] else '失败'}")

    def _print_logins(self) -> None:
        rows: list[tuple[str, str, str]] = []
        users = {u.username: u for u in User.objects.select_related("organization").filter(
            username__in=[a[0] for a in D.STAFF_ACCOUNTS]
            + [x for a in D.NAMED_UNIT_ACCOUNTS for x in (a[1], a[2])] + ["deputy", "deputy2"])}
        order = ["clerk", "leader", "committee", "handler", "head", "handler2", "head2", "deputy", "deputy2",
                 "office", "research", "budget", "sysadmin", "secadmin", "auditor", "clerk2", "leader2", "leader3"]
        what = {a[0]: a[4] for a in D.STAFF_ACCOUNTS}
        for username in order:
            u = users.get(username)
            if u is None:
                continue
            org = f"，{u.organization.name}" if u.organization_id else ""
            title = D.LEADER_TITLES.get(username, "")
            who = f"{u.display_name}{title}{org}"
            if username in what:
                who += f"（{what[username].split('：', 1)[-1]}）" if "：" in what[username] else ""
            if username.startswith("deputy"):
                dep = getattr(u, "deputy", None)
                who = f"{u.display_name}代表，{dep.delegation.name if dep else ''}"
            rows.append((username, ROLE_LABELS.get(u.role, u.role), who))
        w = self.stdout.write
        w(f"\n演示账号（密码均为 {D.DEMO_PASSWORD}）：")
        w(_pad("用户名", 12) + _pad("密码", 13) + _pad("角色", 18) + "说明")
        for username, role, who in rows:
            w(_pad(username, 12) + _pad(D.DEMO_PASSWORD, 13) + _pad(role, 18) + who)
        w("其他账号：各承办单位 uNN_handler / uNN_head，各专工委 cNN_staff，其他代表 dNNNN，密码相同。")
