"""lvzhi beside OpenSlides 3.3, the same client load on the same machine, interleaved rounds.

    .venv/bin/python benchmarks/bench_vs_openslides.py                 # 5 rounds, 2 clients
    .venv/bin/python benchmarks/bench_vs_openslides.py --rounds 3 --clients 4 --workdir /tmp/vs
    .venv/bin/python benchmarks/bench_vs_openslides.py --no-openslides # lvzhi and the bare view only
    git archive HEAD~5 | tar -x -C /tmp/old                            # an older lvzhi, same rounds:
    .venv/bin/python benchmarks/bench_vs_openslides.py --old-tree /tmp/old

lvzhi runs under gunicorn with 2 workers (`--threads 1`: sync, the default; 2: gthread as
deploy/gunicorn.conf.py) serving `config.bench_urls:application` (every page plus a bare
view, the ceiling), DEBUG off, on a SQLite copy of the full demo city (`seed_demo`, built once
into --workdir and copied fresh for each run) with keys generated for the run. OpenSlides 3.3
runs its own server (`openslides start`, Daphne) on its own SQLite database, installed and set
up by benchmarks/openslides/setup.sh into --os-home (a venv of its own, never the project's).

Each round measures, lvzhi and OpenSlides in turn (the order alternates by round):

    writes  create    POST /api/v1/cases/ (a deputy's draft)     POST /rest/motions/motion/
            submit    POST …/transitions/submit/ (that draft)    PUT …/motion/{id}/set_state/
            register  POST …/transitions/register/ (the clerk)   PUT …/motion/{id}/set_state/
    reads   detail    GET /api/v1/cases/{id}/ (a case in handling, the clerk)   GET …/motion/{id}/
            list 50   GET /api/v1/cases/?page_size=50 (the clerk)               GET /rest/motions/motion/
                      (OpenSlides answers reads from its in-memory cache; its list returns every
                      motion, kept at 50 by deleting the round's new motions, untimed)
    ceiling bare      GET /bench/bare/ on the same gunicorn

`--clients` HTTP/1.1 clients (keep-alive where the server keeps the connection; gunicorn's sync
worker closes it after each answer) (threads, http.client) share a fixed number of requests
per step; a step's figure is requests / wall seconds. Printed: each system's median req/s over
the rounds, p50 latency, the ratio and the issue's targets (writes ≥ 5× OpenSlides, reads ≥ 1×,
reads ≥ 50 % of the bare view). Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
PY = HERE / ".venv" / "bin" / "python"
GUNICORN = HERE / ".venv" / "bin" / "gunicorn"
SETUP = HERE / "benchmarks" / "openslides" / "setup.sh"
PASSWORD = "Lvzhi@2026"
BODY = ("我市老旧小区加装电梯工作推进缓慢，部分小区因低楼层住户意见不一、资金筹措困难、"
        "审批流程繁琐而长期停滞。建议市住建局会同自然资源局简化审批流程，明确财政补贴标准。")


# ---------------------------------------------------------------- HTTP load
@dataclass
class Target:
    host: str
    port: int
    headers: dict[str, str] = field(default_factory=dict)


# A request: (method, path, JSON body or None); the function gets the index of the request.
Maker = Callable[[int], tuple[str, str, object | None]]


def load(t: Target, n: int, clients: int, make: Maker, ok: tuple[int, ...] = (200, 201)
         ) -> tuple[float, float, int, list[object]]:
    """n requests over `clients` keep-alive connections: (req/s, p50 ms, errors, bodies)."""
    lock = threading.Lock()
    nxt = iter(range(n))
    lat: list[float] = []
    bodies: list[object] = [None] * n
    errors = [0]

    def worker() -> None:
        conn = http.client.HTTPConnection(t.host, t.port, timeout=120)
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                break
            method, path, body = make(i)
            hdrs = dict(t.headers)
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                hdrs["Content-Type"] = "application/json"
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=data, headers=hdrs)
                r = conn.getresponse()
                raw = r.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(t.host, t.port, timeout=120)
                with lock:
                    errors[0] += 1
                continue
            dt = time.perf_counter() - t0
            with lock:
                lat.append(dt)
                if r.status not in ok:
                    errors[0] += 1
                    if errors[0] <= 3:
                        print(f"  ! {method} {path} → {r.status} {raw[:200]!r}", file=sys.stderr)
                else:
                    try:
                        bodies[i] = json.loads(raw) if raw else None
                    except ValueError:
                        bodies[i] = None
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    return n / wall, p50, errors[0], bodies


def call(t: Target, method: str, path: str, body: object | None = None) -> tuple[int, object]:
    _, _, err, bodies = load(t, 1, 1, lambda i: (method, path, body), ok=(200, 201, 204))
    return (0 if err else 200), bodies[0]


def wait_http(port: int, path: str, seconds: float = 120) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            if c.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"127.0.0.1:{port}{path} did not answer in {seconds:.0f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- lvzhi
def lvzhi_env(workdir: Path, db: Path, tree: Path) -> dict[str, str]:
    keys = workdir / "keys.env"  # one set for every copy: the demo's personal data is SM4 under it
    if not keys.exists():
        keys.write_text(f"LVZHI_SECRET_KEY={secrets.token_urlsafe(50)}\n"
                        f"LVZHI_SM4_KEY={secrets.token_hex(16)}\n"
                        f"LVZHI_AUDIT_KEY={secrets.token_hex(32)}\n")
        keys.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LVZHI_", "DATABASE_"))}
    env.update(line.split("=", 1) for line in keys.read_text().split())
    env.update({"LVZHI_SQLITE_PATH": str(db), "LVZHI_DEBUG": "0", "LVZHI_BENCH_URLS": "1",
                "LVZHI_AUDIT_CHECKPOINT_FILE": str(workdir / "checkpoints.log"),
                "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(tree)})
    return env


@dataclass
class Lvzhi:
    name: str
    proc: subprocess.Popen
    deputy: Target
    clerk: Target
    detail_pk: int = 0


def lvzhi_start(name: str, tree: Path, workdir: Path, threads: int) -> Lvzhi:
    pristine = workdir / "demo.sqlite3"
    if not pristine.exists():
        env = lvzhi_env(workdir, pristine, HERE)
        print(f"building the demo city into {pristine} (once; a few minutes)…", flush=True)
        subprocess.run([str(PY), "manage.py", "migrate", "--no-input", "-v", "0"], cwd=HERE, env=env, check=True)
        subprocess.run([str(PY), "manage.py", "seed_demo"], cwd=HERE, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    if not (tree / "config" / "bench_urls.py").exists():  # an older checkout: lend it the entry
        shutil.copy(HERE / "config" / "bench_urls.py", tree / "config" / "bench_urls.py")
    db = workdir / f"run-{name.replace('@', '-')}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(pristine, db)
    env = lvzhi_env(workdir, db, tree)
    subprocess.run([str(PY), "manage.py", "migrate", "--no-input", "-v", "0"], cwd=tree, env=env, check=True)
    port = free_port()
    # threads 1: gunicorn's sync worker (closes each connection); more: gthread, keep-alive, as
    # deploy/gunicorn.conf.py runs it.
    proc = subprocess.Popen([str(GUNICORN), "config.bench_urls:application", "--workers", "2",
                             "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning"], cwd=tree, env=env, start_new_session=True)
    wait_http(port, "/bench/bare/")
    tokens = []
    for user in ("deputy", "clerk"):
        _, body = call(Target("127.0.0.1", port), "POST", "/api/v1/auth/token/",
                       {"username": user, "password": PASSWORD})
        if not isinstance(body, dict) or "token" not in body:
            raise SystemExit(f"{name}: no API token for {user}: {body!r}")
        tokens.append(Target("127.0.0.1", port, {"Authorization": f"Token {body['token']}"}))
    lv = Lvzhi(name, proc, tokens[0], tokens[1])
    _, page = call(lv.clerk, "GET", "/api/v1/cases/?state=handling&page_size=1")
    lv.detail_pk = page["results"][0]["id"]  # type: ignore[index]
    return lv


# ---------------------------------------------------------------- OpenSlides
def openslides_start(home: Path, port: int) -> tuple[subprocess.Popen, Target]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("LVZHI_", "DATABASE_", "DJANGO_"))},
           "OPENSLIDES_HOME": str(home)}
    home.parent.mkdir(parents=True, exist_ok=True)
    log = open(home.with_name(home.name + "-server.log"), "w")  # noqa: SIM115 (the server's life)
    proc = subprocess.Popen(["bash", str(SETUP), "start", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    wait_http(port, "/apps/core/version/", seconds=900)  # the first run installs it
    # Session login as the admin (Django's CSRF cookie, sent back as a header).
    base = Target("127.0.0.1", port)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/apps/core/version/")
    r = conn.getresponse()
    r.read()
    cookies = cookie_jar(r)
    csrf = cookies.get("OpenSlidesCsrfToken", "")
    conn.request("POST", "/apps/users/login/", body=json.dumps({"username": "admin", "password": "admin"}),
                 headers={"Content-Type": "application/json", "X-CSRFToken": csrf,
                          "Cookie": cookie_header(cookies)})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        raise SystemExit(f"OpenSlides login: {r.status}")
    cookies.update(cookie_jar(r))
    base.headers = {"Cookie": cookie_header(cookies), "X-CSRFToken": cookies.get("OpenSlidesCsrfToken", csrf)}
    return proc, base


def cookie_jar(r: http.client.HTTPResponse) -> dict[str, str]:
    out = {}
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            out[name.strip()] = rest.split(";", 1)[0]
    return out


def cookie_header(c: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in c.items())


def motion_id(body: object) -> int:
    assert isinstance(body, dict), body
    data = body.get("data", body)  # OpenSlides wraps the answer with its autoupdate
    return int(data["id"])


def stop(proc: subprocess.Popen | None) -> None:
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------- the run
STEPS = ("create", "submit", "register", "detail", "list50")
TARGETS = {"create": 5, "submit": 5, "register": 5, "detail": 1, "list50": 1}


def lvzhi_step(lv: Lvzhi, step: str, rnd: int, w: int, r: int, c: int, made: dict[str, list[int]]):
    if step == "create":
        res = load(lv.deputy, w, c, lambda i: ("POST", "/api/v1/cases/", {
            "kind": "suggestion", "title": f"关于第{rnd}-{i}片区加装电梯的建议", "body": BODY,
            "category": "城乡建设"}))
        made[lv.name] = [b["id"] for b in res[3] if isinstance(b, dict)]
        return res
    ids = made[lv.name]
    if step == "submit":
        return load(lv.deputy, len(ids), c, lambda i: ("POST", f"/api/v1/cases/{ids[i]}/transitions/submit/", {}))
    if step == "register":
        return load(lv.clerk, len(ids), c, lambda i: (
            "POST", f"/api/v1/cases/{ids[i]}/transitions/register/", {"category": "城乡建设"}))
    if step == "detail":
        return load(lv.clerk, r, c, lambda i: ("GET", f"/api/v1/cases/{lv.detail_pk}/", None))
    return load(lv.clerk, r, c, lambda i: ("GET", "/api/v1/cases/?page_size=50", None))


@dataclass
class OpenSlides:
    proc: subprocess.Popen
    t: Target
    detail: int
    first_state: int
    next_state: int


def openslides_ready(home: Path) -> OpenSlides:
    proc, osl = openslides_start(home, free_port())
    _, motions = call(osl, "GET", "/rest/motions/motion/")
    have = len(motions) if isinstance(motions, list) else 0
    if have < 50:
        load(osl, 50 - have, 1, lambda i: ("POST", "/rest/motions/motion/",
                                           {"title": f"关于加装电梯的议案{i}", "text": f"<p>{BODY}</p>"}))
        _, motions = call(osl, "GET", "/rest/motions/motion/")
    detail = min(m["id"] for m in motions)  # type: ignore[union-attr]
    first_state = next(m["state_id"] for m in motions if m["id"] == detail)  # type: ignore[union-attr]
    _, state = call(osl, "GET", f"/rest/motions/state/{first_state}/")
    return OpenSlides(proc, osl, detail, first_state, state["next_states_id"][0])  # type: ignore[index]


def openslides_step(o: OpenSlides, step: str, rnd: int, w: int, r: int, c: int, made: dict[str, list[int]]):
    if step == "create":
        res = load(o.t, w, c, lambda i: ("POST", "/rest/motions/motion/", {
            "title": f"关于第{rnd}-{i}片区加装电梯的议案", "text": f"<p>{BODY}</p>"}))
        made["openslides"] = [motion_id(b) for b in res[3] if b]
        return res
    ids = made["openslides"]
    if step in ("submit", "register"):
        # set_state forward on the round's new motions, then back: one transition per motion
        # per step, as lvzhi's submit and register are.
        target = o.next_state if step == "submit" else o.first_state
        return load(o.t, len(ids), c, lambda i: ("PUT", f"/rest/motions/motion/{ids[i]}/set_state/",
                                                 {"state": target}))
    if step == "detail":
        return load(o.t, r, c, lambda i: ("GET", f"/rest/motions/motion/{o.detail}/", None))
    return load(o.t, r, c, lambda i: ("GET", "/rest/motions/motion/", None))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--writes", type=int, default=40, help="requests per write step")
    ap.add_argument("--reads", type=int, default=200, help="requests per read step")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lvzhi-vs-openslides"))
    ap.add_argument("--os-home", type=Path, default=Path(os.environ.get("OPENSLIDES_HOME", "/tmp/openslides-bench")))
    ap.add_argument("--threads", type=int, default=1,
                    help="gunicorn threads per worker (1 = sync worker; deploy/ runs 2)")
    ap.add_argument("--old-tree", type=Path, action="append", default=[],
                    help="another checkout (e.g. git archive of an older commit), measured in the same rounds")
    ap.add_argument("--no-openslides", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    systems: list[Lvzhi] = []
    o: OpenSlides | None = None
    try:
        systems.append(lvzhi_start("lvzhi", HERE, args.workdir, args.threads))
        for tree in args.old_tree:
            systems.append(lvzhi_start(f"lvzhi@{tree.name}", tree.resolve(), args.workdir, args.threads))
        if not args.no_openslides:
            o = openslides_ready(args.os_home)
        names = [lv.name for lv in systems] + ([] if o is None else ["openslides"])
        figures: dict[str, dict[str, list[float]]] = {}
        w, r, c = args.writes, args.reads, args.clients
        for rnd in range(args.rounds):
            order = names[rnd % len(names):] + names[:rnd % len(names)]  # who goes first rotates
            made: dict[str, list[int]] = {}
            for step in STEPS:
                for who in order:
                    if who == "openslides":
                        res = openslides_step(o, step, rnd, w, r, c, made)  # type: ignore[arg-type]
                    else:
                        res = lvzhi_step(next(lv for lv in systems if lv.name == who), step, rnd, w, r, c, made)
                    f = figures.setdefault(step, {})
                    for key, value in ((who, res[0]), (who + " p50", res[1]), (who + " err", res[2])):
                        f.setdefault(key, []).append(value)
            for lv in systems:
                res = load(Target(lv.clerk.host, lv.clerk.port), r * 2, c, lambda i: ("GET", "/bench/bare/", None))
                f = figures.setdefault("bare", {})
                f.setdefault(lv.name, []).append(res[0])
                f.setdefault(lv.name + " p50", []).append(res[1])
            if o is not None:  # the motion list back to 50 (untimed)
                ids = made.get("openslides", [])
                load(o.t, len(ids), 1, lambda i, ids=ids: ("DELETE", f"/rest/motions/motion/{ids[i]}/", None),
                     ok=(200, 204))
            print(f"round {rnd + 1}/{args.rounds} done", flush=True)
        report(figures, names, args)
    finally:
        for lv in systems:
            stop(lv.proc)
        stop(o.proc if o else None)


def report(f: dict[str, dict[str, list[float]]], names: list[str], args: argparse.Namespace) -> None:
    med = statistics.median
    lvzhis = [n for n in names if n != "openslides"]
    print(f"\nlvzhi (gunicorn, 2 workers × {args.threads} thread(s), SQLite demo) vs "
          f"OpenSlides 3.3 (openslides start, SQLite); {args.clients} clients, "
          f"{args.rounds} interleaved rounds, medians; {os.cpu_count()} CPUs; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    head = "".join(f"{n + ' req/s':>22}{'p50 ms':>8}" for n in names)
    ratios = "".join(f"{'÷OS ' + n:>16}" for n in lvzhis) if "openslides" in names else ""
    print(f"{'step':<10}{head}{ratios}{'target':>8}{'of bare':>9}  errors")
    out: dict[str, object] = {"bare_req_s": {n: med(f["bare"][n]) for n in lvzhis}, "steps": {}}
    for step in STEPS:
        row = f"{step:<10}" + "".join(f"{med(f[step][n]):>22.1f}{med(f[step][n + ' p50']):>8.1f}" for n in names)
        fig = {n: {"req_s": med(f[step][n]), "p50_ms": med(f[step][n + " p50"]),
                   "errors": int(sum(f[step][n + " err"]))} for n in names}
        if "openslides" in names:
            os_rate = med(f[step]["openslides"])
            for n in lvzhis:
                ratio = med(f[step][n]) / os_rate
                fig[n]["ratio_to_openslides"] = ratio
                row += f"{ratio:>14.2f}× " + ("✓" if ratio >= TARGETS[step] else "✗")
            row += f"{TARGETS[step]:>7}×"
        if step in ("detail", "list50"):
            row += "".join(f"{med(f[step][n]) / med(f['bare'][n]) * 100:>8.0f}%" for n in lvzhis[:1])
        else:
            row += f"{'':>9}"
        row += "  " + "/".join(str(fig[n]["errors"]) for n in names)
        print(row)
        out["steps"][step] = fig  # type: ignore[index]
    print(f"{'bare':<10}" + "".join(f"{med(f['bare'][n]):>22.1f}{med(f['bare'][n + ' p50']):>8.1f}" for n in lvzhis)
          + "   (the ceiling: /bench/bare/ on the same gunicorn; reads target ≥ 50 % of it)")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
