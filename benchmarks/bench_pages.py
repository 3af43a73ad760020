"""Queries and median wall time per page, each role's home first, on the small demo city.

    .venv/bin/python benchmarks/bench_pages.py                      # this tree
    .venv/bin/python benchmarks/bench_pages.py --compare /tmp/old   # another checkout, side by side
    .venv/bin/python benchmarks/bench_pages.py --compare /tmp/old --dbdir /tmp/b   # keep, reuse the files
    .venv/bin/python benchmarks/bench_pages.py --compare before=/tmp/a --compare after=/tmp/b  # three

Each tree runs in a worker process of its own (this Python, PYTHONPATH and the working
directory set to the tree, LVZHI_DEBUG=1), on its own scratch SQLite file seeded by its own
`seed_demo --small`. With `--compare` the two workers are asked in turn, a few requests at a
time, so all see the same load on a shared machine; the table gives each and the ratio of
this tree to the first (`--compare` may be given several times, NAME=DIR names a column).
A page a tree does not have (/todo/ before it existed) shows its HTTP status.

Per page: the median over `--repeat` GETs (after one warm-up) and the queries of one GET
(Django test client + CaptureQueriesContext). The fragments (片段) are HTMX panels rendered
with the context processors but without the navigation. The 导航 rows are the context
processor alone, the chrome every page pays, with its values read as base.html reads them.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# (label, username, path or "home" = where "/" redirects that user); {pk} = the case below.
PAGES: list[tuple[str, str, str]] = [
    ("代表首页", "deputy", "home"),
    ("代表 我的议案建议", "deputy", "/my/"),
    ("代表 相似建议(片段)", "deputy", "/assist/similar/?title=加装电梯"),
    ("工委首页", "clerk", "home"),
    ("工委 待登记(intake)", "clerk", "/office/intake/"),
    ("工委 全部案件", "clerk", "/cases/"),
    ("工委 案件详情", "clerk", "/cases/{pk}/"),
    ("工委 答复检查(片段)", "clerk", "/assist/cases/{pk}/reply-check/"),
    ("工委 期限监控", "clerk", "/office/deadlines/"),
    ("承办首页", "handler", "home"),
    ("承办 收件箱", "handler", "/unit/inbox/"),
    ("承办 待办", "handler", "/todo/"),
    ("承办 待答复列表", "handler", "/todo/to_reply/"),
    ("承办 案件详情", "handler", "/cases/{pk}/"),
    ("负责人首页", "head", "home"),
    ("主任首页", "leader", "home"),
    ("专工委首页", "committee", "home"),
    ("办公厅首页", "office", "home"),
]
NAV_USERS = ["deputy", "clerk", "handler", "head", "leader", "committee"]
MARK = "@@bench "  # the workers' answers, apart from anything else printed


class Bench:
    """One tree, set up once: the demo seeded, the users and the case chosen."""

    def __init__(self, tree: Path, db: Path) -> None:
        sys.path.insert(0, str(tree))
        os.chdir(tree)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        os.environ["LVZHI_DEBUG"] = "1"
        os.environ["LVZHI_SQLITE_PATH"] = str(db)
        import io

        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client, RequestFactory
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        setup_test_environment()
        logging.getLogger("django.request").setLevel(logging.ERROR)  # a tree's 404s are expected
        call_command("migrate", verbosity=0)
        t = time.monotonic()
        call_command("seed_demo", "--small", stdout=io.StringIO())
        self.seeded = time.monotonic() - t

        from lvzhi.cases.models import Assignment, Case
        from lvzhi.core.context_processors import navigation
        from lvzhi.core.models import User

        self.connection, self.capture = connection, CaptureQueriesContext
        self.navigation, self.rf, self.User = navigation, RequestFactory(), User
        self.users = {u.username: u for u in User.objects.filter(username__in={p[1] for p in PAGES})}
        # The same case on both trees: the first suggestion in 办理中 the handler's unit leads.
        self.pk = Assignment.objects.filter(
            unit_id=self.users["handler"].organization_id, role="lead", case__kind="suggestion",
            case__state="handling").order_by("case_id").values_list("case_id", flat=True).first()
        self.cases = Case.objects.count()
        self.client = Client()
        self.paths: dict[str, str] = {}

    def info(self) -> dict:
        return {"cases": self.cases, "seeded_s": round(self.seeded, 1), "tree": os.getcwd()}

    def page(self, label: str, n: int) -> dict:
        _, username, path = next(p for p in PAGES if p[0] == label)
        self.client.force_login(self.users[username])
        if label not in self.paths:  # the first ask: resolve the home page, warm up
            if path == "home":
                resp = self.client.get("/", follow=True)
                path = resp.redirect_chain[-1][0] if resp.redirect_chain else "/"
            self.paths[label] = path.replace("{pk}", str(self.pk))
            self.client.get(self.paths[label])
        path = self.paths[label]
        times = []
        status = 0
        for _ in range(n):
            with self.capture(self.connection) as q:
                t = time.perf_counter()
                status = self.client.get(path).status_code
                times.append(time.perf_counter() - t)
        return {"path": path, "status": status, "queries": len(q.captured_queries), "times": times}

    def nav(self, username: str, n: int) -> dict:
        times = []
        for _ in range(n):
            request = self.rf.get("/")
            request.user = self.User.objects.get(pk=self.users[username].pk)  # fresh, as a request's
            with self.capture(self.connection) as q:
                t = time.perf_counter()
                ctx = self.navigation(request)
                list(ctx.get("nav_items", []))
                str(ctx.get("todo_total")), str(ctx.get("unread_count"))
                times.append(time.perf_counter() - t)
        return {"status": 200, "queries": len(q.captured_queries), "times": times}


def serve(tree: Path, db: Path) -> None:
    """Worker: set up, then answer each line ["page", label, n] / ["nav", username, n] with JSON."""
    bench = Bench(tree, db)
    print(MARK + json.dumps(bench.info()), flush=True)
    for line in sys.stdin:
        what, name, n = json.loads(line)
        out = bench.page(name, n) if what == "page" else bench.nav(name, n)
        print(MARK + json.dumps(out, ensure_ascii=False), flush=True)


class Worker:
    def __init__(self, tree: Path, db: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(tree))
        self.tree = tree
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", "--tree", str(tree), "--db", str(db)],
                                     env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.info = self._read()

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(MARK):
                return json.loads(line[len(MARK):])
        sys.exit(f"{self.tree}: the worker stopped")

    def ask(self, what: str, name: str, n: int) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps([what, name, n]) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


def run(workers: list[Worker], repeat: int, batch: int = 5) -> list[dict]:
    """Every page on every worker, in turn `batch` GETs at a time until `repeat` each."""
    results: list[dict] = [{"pages": {}, "nav": {}} for _ in workers]
    items = [("page", p[0], "pages") for p in PAGES] + [("nav", u, "nav") for u in NAV_USERS]
    for what, name, key in items:
        done = 0
        while done < repeat:
            n = min(batch, repeat - done)
            for w, r in zip(workers, results, strict=True):
                got = w.ask(what, name, n)
                row = r[key].setdefault(name, {**got, "times": []})
                row["times"] += got["times"]
                row["queries"], row["status"] = got["queries"], got["status"]
            done += n
    for r in results:
        for rows in (r["pages"], r["nav"]):
            for row in rows.values():
                row["ms"] = round(statistics.median(row.pop("times")) * 1000, 2)
    return results


def _pad(text: str, width: int = 24) -> str:
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - shown)


def _cell(row: dict | None) -> str:
    if not row or row.get("status") != 200:
        return f"{'HTTP ' + str(row['status']) if row else '—':>15s}"
    return f"{row['ms']:6.1f} ms {row['queries']:3d} q"


def _ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or a.get("status") != 200 or b.get("status") != 200:
        return ""
    return f"×{b['ms'] / a['ms']:.2f}  {b['queries'] - a['queries']:+d} q"


def show(names: list[str], infos: list[dict], results: list[dict]) -> None:
    for name, info in zip(names, infos, strict=True):
        print(f"# {name} = {info['tree']}: {info['cases']} cases (seeded in {info['seeded_s']} s)")
    print(_pad("page") + "".join(f"{n:>15s}  " for n in names)
          + (f"{names[-1]}/{names[0]}" if len(results) > 1 else ""))
    rows = [(label, "pages", label) for label, *_ in PAGES] + [("导航 " + u, "nav", u) for u in NAV_USERS]
    for label, key, name in rows:
        cells = [r[key].get(name) for r in results]
        print(_pad(label) + "".join(_cell(x) + "  " for x in cells)
              + (_ratio(cells[0], cells[-1]) if len(cells) > 1 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=25, help="GETs per page and tree (default 25)")
    parser.add_argument("--tree", type=Path, default=HERE, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help="without --compare: the scratch SQLite file")
    parser.add_argument("--compare", action="append", default=[], metavar="[NAME=]DIR",
                        help="another checkout, a column before this tree's (repeatable)")
    parser.add_argument("--dbdir", type=Path, help="keep (and reuse) before/now.sqlite3 here")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.tree, args.db)
        return
    folder = args.dbdir or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    trees: list[tuple[str, Path]] = []
    for i, spec in enumerate(args.compare):
        name, _, path = spec.rpartition("=")
        trees.append((name or ("before" if i == 0 else f"tree{i + 1}"), Path(path).resolve()))
    trees.append(("now", HERE))
    workers = [Worker(tree, args.db if args.db and not args.compare else folder / f"{name}.sqlite3")
               for name, tree in trees]
    try:
        results = run(workers, args.repeat)
    finally:
        for w in workers:
            w.close()
    show([name for name, _ in trees], [w.info for w in workers], results)


if __name__ == "__main__":
    main()
