"""Screenshots of every page each demo role reaches, and the user guide's pictures.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8131 /tmp/shots            # every page
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8131 docs/screenshots --guide

Against a server running the demo (`seed_demo`, `retrain_models --if-missing`; see the top of
docs/user-guide.md). The survey logs in as each demo role, opens its home page, every to-do
list, every navigation link, the first case of each list with each action form opened, the
searches and filters, the account pages, the admin (admin roles) and the error pages, and
saves each full-page at 1366x900 and 390x844 as <out>/<role>/<nn>-<page>-desktop|phone.png.
<out>/report.md lists, per page, what a person must look at first: HTTP errors, console
errors, English words in the visible text (lvzhi/testing_text.py), short table text cut over
two lines (lvzhi/testing_browser.py) and a phone page wider than the screen.

`--guide` writes only the pictures docs/user-guide.md shows, under their file names, PNG
reduced with pngquant when installed (else Pillow's optimizer). The script reads nothing
from the database: it finds every case by clicking, so it works against any demo server.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lvzhi.testing_browser import cells_cut_mid_word
from lvzhi.testing_text import english_words

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "Lvzhi@2026"
ROLES = ["deputy", "clerk", "handler", "head", "committee", "leader", "office", "research",
         "sysadmin", "secadmin", "auditor"]
ADMIN_ROLES = {"sysadmin", "secadmin", "auditor"}
MONITOR_LIST = "h2:has-text('已超期')"  # the overdue list with its 催办 buttons
MAX_CASES = 8  # case pages per role: the first case of each to-do list, then the list's first


@dataclass
class Shot:
    role: str
    name: str
    url: str
    status: int | None
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Person:
    """One logged-in role in one browser context; every page goes through `shoot`."""

    def __init__(self, browser: Any, base: str, role: str, out: Path) -> None:
        self.base, self.role = base.rstrip("/"), role
        self.context = browser.new_context(viewport=DESKTOP, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        self.page.on("pageerror", lambda e: self.console.append(f"脚本错误：{e}"))
        self.page.on("dialog", lambda d: d.accept())
        self.dir = out / role
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.shots: list[Shot] = []
        self.seen: set[str] = set()

    def url(self, path: str) -> str:
        return urljoin(self.base + "/", path.lstrip("/"))

    def login(self) -> None:
        if self.role == "public":
            return
        self.page.goto(self.url("/login/"))
        self.page.fill("#id_username", self.role)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit], button[type=submit], input[type=submit]")
        if "/login/" in self.page.url:
            raise SystemExit(f"{self.role} 登录失败：{self.page.url}")

    def goto(self, path: str) -> int | None:
        self.console.clear()
        response = self.page.goto(self.url(path))
        self.settle()
        return response.status if response else None

    def settle(self) -> None:
        self.page.wait_for_load_state("networkidle")
        time.sleep(0.2)  # charts and htmx fragments paint after the network settles

    def shoot(self, name: str, status: int | None = None, *, phone: bool = True,
              full: bool = True) -> Shot:
        """The page as it is now, desktop then phone, with the problems a reader must check."""
        n = len(self.shots) + 1
        slug = re.sub(r"[^\w-]+", "-", name).strip("-")
        shot = Shot(self.role, name, self.page.url, status)
        if status and status >= 400:
            shot.problems.append(f"HTTP {status}")
        shot.problems += [f"控制台：{c[:160]}" for c in self.console]
        html = self.page.evaluate("document.body ? document.body.innerText : ''")
        words = english_words(html, ignore=[self.role])
        if words:
            shot.problems.append("英文：" + " ".join(words[:20]))
        for viewport, label in [(DESKTOP, "desktop"), (PHONE, "phone")] if phone else [(DESKTOP, "desktop")]:
            self.page.set_viewport_size(viewport)
            time.sleep(0.3)
            cut = cells_cut_mid_word(self.page)
            if cut:
                shot.problems.append(f"{label} 表格断词：" + "、".join(cut[:8]))
            if label == "phone":
                wide = self.page.evaluate("document.documentElement.scrollWidth")
                if wide > PHONE["width"] + 2:
                    shot.problems.append(f"手机页面宽 {wide}px，超出屏幕")
            path = self.dir / f"{n:02d}-{slug}-{label}.png"
            self.page.screenshot(path=str(path), full_page=full)
            shot.files.append(str(path))
        self.page.set_viewport_size(DESKTOP)
        self.shots.append(shot)
        print(f"  {self.role} {n:02d} {name} {self.page.url} {'；'.join(shot.problems)}", flush=True)
        return shot

    def visit(self, path: str, name: str) -> Shot | None:
        key = urlparse(self.url(path))._replace(fragment="").geturl()
        if key in self.seen:
            return None
        self.seen.add(key)
        status = self.goto(path)
        return self.shoot(name, status)

    def links(self, selector: str) -> list[tuple[str, str]]:
        """(text, href) of the links under `selector`, in page order, each address once."""
        found = self.page.eval_on_selector_all(
            selector, "els => els.map(e => [e.innerText.trim().replace(/\\s+/g, ' '), e.getAttribute('href')])")
        out: list[tuple[str, str]] = []
        for text, href in found:
            if href and href.startswith("/") and href not in {h for _, h in out}:
                out.append((text or href.strip("/").replace("/", "-"), href))
        return out

    def open_forms(self, case_name: str) -> None:
        """Each action on a case page that opens a form: open it, shoot it, close it."""
        buttons = self.page.locator("#actions button[data-bs-toggle=collapse]")
        labels = [buttons.nth(i).inner_text().strip() for i in range(buttons.count())]
        for i, label in enumerate(labels):
            button = self.page.locator("#actions button[data-bs-toggle=collapse]").nth(i)
            target = button.get_attribute("data-bs-target")
            if button.get_attribute("aria-expanded") != "true":
                button.click()
            self.page.wait_for_selector(f"{target}.show")
            self.settle()
            self.page.locator(target).scroll_into_view_if_needed()
            self.shoot(f"{case_name}-{label}")
            button.click()  # close again: the next form is shot alone
            time.sleep(0.4)
        for a in self.links("#actions a.btn"):
            self.visit(a[1], f"{case_name}-{a[0]}")

    def case(self, href: str, name: str) -> None:
        if self.visit(href, name) is None:
            return
        self.open_forms(name)

    def close(self) -> None:
        self.context.close()


def survey(person: Person) -> None:
    """Every page the role reaches from its navigation and its to-do lists."""
    role = person.role
    if role == "public":
        person.visit("/public/", "公开首页")
        cases = person.links("main a[href^='/public/cases/']")
        if cases:
            person.visit(cases[0][1], "公开案件")
        person.visit("/login/", "登录页")
        person.visit("/no-such-page/", "404页面")
        person.visit("/notifications/read-all/", "405页面")  # a POST-only address opened
        person.visit("/cases/", "未登录访问案件")
        # The expired-form page: the login form sent after its cookie is gone.
        person.goto("/login/")
        person.context.clear_cookies()
        person.page.fill("#id_username", "deputy")
        person.page.fill("#id_password", PASSWORD)
        with person.page.expect_navigation():
            person.page.click("main button[type=submit]")
        person.settle()
        person.shoot("表单已过期", 403)
        return
    person.login()
    person.shoot("登录后首页", 200)
    person.seen.add(person.page.url)
    if role in ADMIN_ROLES:
        survey_admin(person)
    else:
        survey_work(person)
    for path, name in [("/notifications/", "消息提醒"), ("/help/", "帮助"),
                       ("/account/password/", "修改密码"), ("/account/otp/", "动态验证码"),
                       ("/account/tokens/", "接口令牌"), ("/no-such-page/", "404页面")]:
        person.visit(path, name)
    # A page outside the role (the styled 403); /admin/ would only ask for an admin login.
    forbidden = "/office/intake/" if role not in {"clerk", "clerk2"} else "/keytasks/approval/"
    person.visit(forbidden, "无权访问")


def survey_work(person: Person) -> None:
    person.visit("/todo/", "待办")
    todo_lists = [(t, h) for t, h in person.links("main a[href^='/todo/']") if not t.isdigit()
                  and not t.startswith("查看全部")]
    nav = person.links("header a[href], nav a[href]")
    cases: list[tuple[str, str]] = []
    for text, href in todo_lists:
        if person.visit(href, f"待办-{text}") is None:
            continue
        first = person.links("main a[href^='/cases/']")
        first = [(t, h) for t, h in first if re.fullmatch(r"/cases/\d+/", h)]
        if first:
            cases.append((f"案件-{text}", first[0][1]))
    for text, href in nav:
        if href in {"/", "/logout/"} or href.startswith("/admin"):
            continue
        person.visit(href, f"导航-{text or href}")
    # The case list: a search, the filters and a sort (the page keeps them in its address).
    person.visit("/cases/?q=刘建华", "检索-刘建华")
    person.visit("/cases/?q=加装电梯+补贴", "检索-加装电梯补贴")
    person.visit("/cases/?overdue=1&sort=-due", "筛选-只看超期")
    person.visit("/cases/?state=handling", "筛选-办理中")
    for _t, h in person.links("main table a[href^='/cases/']")[:1]:
        if re.fullmatch(r"/cases/\d+/", h):
            cases.append(("案件-办理中", h))
    if person.role in {"clerk", "leader"}:
        person.visit("/reports/dashboard/", "统计分析")
        sessions = person.page.eval_on_selector_all(
            "select[name=session] option", "els => els.map(e => e.value).filter(Boolean)")
        if sessions:
            person.visit(f"/reports/dashboard/?session={sessions[-1]}", "统计分析-选定会议")
            figure = person.links("main a[href^='/reports/dashboard/cases/']")
            if figure:
                person.visit(figure[0][1], f"统计-{figure[0][0][:10]}")
        person.visit("/reports/annual/", "年度数字")
        trace = person.links("main a[href^='/reports/annual/']")
        if trace:
            person.visit(trace[0][1], "年度数字-明细")
    if person.role in {"clerk", "office", "leader"}:
        person.visit("/office/deadlines/", "期限监控")
    for name, href in cases[:MAX_CASES]:
        person.case(href, name)
    if person.role == "office":
        for path, name in [("/keytasks/new/", "新增重点任务"), ("/keytasks/approval/", "提请审定"),
                           ("/keytasks/dispatch/", "调度"), ("/keytasks/import/", "导入清单")]:
            person.visit(path, name)
    if person.role == "deputy":
        person.visit("/cases/new/", "提出建议")


def survey_admin(person: Person) -> None:
    person.visit("/admin/", "管理首页")
    for text, href in person.links("#content-main a[href^='/admin/']"):
        if href.endswith("/add/"):
            continue
        shot = person.visit(href, f"管理-{text}")
        if shot and "/admin/" in href and href.count("/") == 4:  # a changelist: its first row
            rows = person.links("#result_list tbody th a[href], #result_list tbody td a[href]")
            if rows:
                person.visit(rows[0][1], f"管理-{text}-详情")


# ------------------------------------------------------------------ the user guide's pictures

def _first_case(person: Person, list_path: str) -> str:
    person.goto(list_path)
    for _, h in person.links("main a[href^='/cases/']"):
        if re.fullmatch(r"/cases/\d+/", h):
            return h
    raise SystemExit(f"{person.role}：{list_path} 中没有案件")


def _open_form(person: Person, label: str) -> None:
    button = person.page.locator("#actions button[data-bs-toggle=collapse]", has_text=label).first
    target = button.get_attribute("data-bs-target")
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    person.page.wait_for_selector(f"{target}.show")
    person.settle()


def _clip(person: Person, selector: str, path: Path) -> None:
    person.page.locator(selector).first.screenshot(path=str(path))


GuideStep = Callable[[Person, Path], None]


def guide(browser: Any, base: str, out: Path) -> None:
    """The pictures of docs/user-guide.md, each made the way a user gets to the page."""
    out.mkdir(parents=True, exist_ok=True)

    def page(person: Person, path: Path, *, phone: bool = False, full: bool = False,
             at: str | None = None) -> None:
        """The viewport (or the full page), on the phone if asked, scrolled to `at` first."""
        if phone:
            person.page.set_viewport_size(PHONE)
            time.sleep(0.4)
        if at:  # one screen of the page from a little above `at`
            top = person.page.locator(at).first.evaluate(
                "e => e.getBoundingClientRect().top + window.scrollY")
            size = person.page.viewport_size
            height = person.page.evaluate("document.documentElement.scrollHeight")
            y = max(0, min(top - 24, height - size["height"]))
            person.page.screenshot(path=str(path), full_page=True, clip={
                "x": 0, "y": y, "width": size["width"], "height": min(size["height"], height)})
        else:
            person.page.screenshot(path=str(path), full_page=full)
        person.page.set_viewport_size(DESKTOP)

    def anonymous(p: Person) -> None:
        p.goto("/login/")
        page(p, out / "01-login.png")
        p.goto("/no-such-page/")
        page(p, out / "20-error-404.png")
        p.goto("/public/")
        page(p, out / "12-public.png", full=True)
        p.goto(p.links("main a[href^='/public/cases/']")[0][1])
        page(p, out / "12-public-case.png", full=True)

    def deputy(p: Person) -> None:
        p.login()
        p.goto("/todo/")
        page(p, out / "02-deputy-todo-phone.png", phone=True)
        p.goto("/my/")
        page(p, out / "02-deputy-home.png", phone=True)
        p.goto("/cases/new/")
        # A topic the demo already has, so that the similar-cases panel shows a match.
        p.page.fill("#id_title", "关于解决高新区盛佳置业有限公司违规设置停车收费问题的建议")
        p.page.locator("#id_body").fill("盛佳置业有限公司在小区内违规设置停车收费，业主意见很大。"
                                        "建议有关部门依法查处，规范停车收费。")
        p.page.locator("#id_body").dispatch_event("keyup")
        time.sleep(1.5)
        p.settle()
        page(p, out / "03-deputy-write.png", full=True)
        page(p, out / "03-deputy-write-phone.png", phone=True, full=True)
        p.goto(_first_case(p, "/todo/to_evaluate/"))
        _open_form(p, "评价")
        page(p, out / "04-deputy-evaluate.png", phone=True, at="#actions")

    def clerk(p: Person) -> None:
        p.login()
        p.goto("/todo/")
        page(p, out / "17-clerk-todo.png", full=True)
        p.goto("/office/intake/")
        page(p, out / "05-clerk-intake.png")
        p.goto(_first_case(p, "/todo/to_assign/"))
        _open_form(p, "交办")
        p.page.locator("#actions .collapse.show").scroll_into_view_if_needed()
        time.sleep(1)
        _clip(p, "main", out / "06-clerk-assign.png")
        p.goto("/office/batch-assign/")
        page(p, out / "07-clerk-batch-assign.png")
        p.goto("/cases/?q=电梯+补贴")
        page(p, out / "18-search.png")
        p.goto("/cases/?overdue=1&sort=-due")
        p.page.locator("button:has-text('更多筛选')").first.click()
        time.sleep(0.5)
        page(p, out / "18-filters.png")
        p.goto("/office/deadlines/")
        page(p, out / "10-deadline-monitor.png", at=MONITOR_LIST)
        p.goto(_first_case(p, "/todo/to_review/"))
        _open_form(p, "审核")
        page(p, out / "19-clerk-review.png", at="#actions")
        p.goto("/assist/models/")
        page(p, out / "15-routing-models.png", full=True)
        p.goto("/notifications/")
        page(p, out / "21-notifications.png")
        p.goto("/help/")
        page(p, out / "22-help.png")

    def handler(p: Person) -> None:
        p.login()
        p.goto("/todo/")
        page(p, out / "17-handler-todo.png", full=True)
        p.goto("/unit/inbox/")
        page(p, out / "08-unit-inbox.png")
        p.goto(_first_case(p, "/todo/returned/"))
        page(p, out / "23-returned-case.png")
        _open_form(p, "答复")
        p.page.locator("#actions .collapse.show").scroll_into_view_if_needed()
        _clip(p, "#actions", out / "23-returned-reply-form.png")

    def head(p: Person) -> None:
        p.login()
        p.goto("/todo/")
        page(p, out / "17-head-todo.png", phone=True)
        p.goto(_first_case(p, "/todo/to_sign/"))
        _open_form(p, "签发")
        p.page.locator("#actions .collapse.show").scroll_into_view_if_needed()
        _clip(p, "#actions", out / "09-head-sign.png")
        p.page.goto(p.page.url)
        p.settle()
        page(p, out / "13-case-timeline.png", at="h2:has-text('办理过程')")

    def leader(p: Person) -> None:
        p.login()
        p.goto("/reports/dashboard/")
        sessions = p.page.eval_on_selector_all(
            "select[name=session] option", "els => els.map(e => e.value).filter(Boolean)")
        p.goto(f"/reports/dashboard/?session={sessions[-1]}" if sessions else "/reports/dashboard/")
        time.sleep(1)
        page(p, out / "11-leader-dashboard.png", full=True)
        p.goto("/assist/hot-topics/")
        page(p, out / "14-hot-topics.png")
        p.goto("/todo/")
        page(p, out / "17-leader-todo.png")

    def committee(p: Person) -> None:
        p.login()
        p.goto("/todo/")
        page(p, out / "17-committee-todo.png")

    def office(p: Person) -> None:
        p.login()
        p.goto("/todo/")
        page(p, out / "17-office-todo.png")
        # 16-key-task-*.png come from lvzhi/keytasks/tests/test_browser.py (the task's whole loop).

    def sysadmin(p: Person) -> None:
        p.login()
        p.goto("/admin/")
        page(p, out / "24-admin.png", full=True)

    def auditor(p: Person) -> None:
        p.login()
        p.goto("/admin/")
        links = [h for t, h in p.links("#content-main a[href^='/admin/']") if "event" in h]
        if links:
            p.goto(links[0])
        page(p, out / "24-audit-events.png")

    steps: dict[str, GuideStep] = {"public": anonymous, "deputy": deputy, "clerk": clerk,
                                   "handler": handler, "head": head, "leader": leader,
                                   "committee": committee, "office": office,
                                   "sysadmin": sysadmin, "auditor": auditor}
    for role, step in steps.items():
        person = Person(browser, base, role, out / ".tmp")
        try:
            print(f"{role} …", flush=True)
            step(person) if step.__code__.co_argcount == 1 else step(person, out)
        finally:
            person.close()
    shutil.rmtree(out / ".tmp", ignore_errors=True)
    shrink(out)


def shrink(out: Path) -> None:
    """Every PNG under `out` made small: pngquant when installed, else Pillow's optimizer."""
    pngquant = shutil.which("pngquant")
    for png in sorted(out.glob("*.png")):
        if pngquant:
            subprocess.run([pngquant, "--force", "--skip-if-larger", "--quality=60-90",
                            "--output", str(png), str(png)], check=False)
        else:
            from PIL import Image

            with Image.open(png) as im:
                im = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
                im.save(png, optimize=True)
        print(f"  {png.name} {png.stat().st_size // 1024} KB")


def report(shots: list[Shot], out: Path) -> None:
    lines = ["# 截图检查", "", f"{len(shots)} 个页面。先看有问题的：", ""]
    for s in shots:
        if s.problems:
            lines.append(f"- **{s.role} · {s.name}** {s.url}：{'；'.join(s.problems)}")
    lines += ["", "## 全部页面", ""]
    lines += [f"- {s.role} · {s.name} · {s.url} · {Path(s.files[0]).name}" for s in shots]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="服务器地址，如 http://127.0.0.1:8131")
    parser.add_argument("out", type=Path, help="截图目录")
    parser.add_argument("--guide", action="store_true", help="只拍使用指南中的截图（按文件名）")
    parser.add_argument("--roles", default=",".join(["public", *ROLES]),
                        help="逗号分隔的角色（默认全部，public 为未登录的公众）")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        if args.guide:
            guide(browser, args.base, args.out)
            return
        shots: list[Shot] = []
        for role in args.roles.split(","):
            person = Person(browser, args.base, role, args.out)
            try:
                survey(person)
            finally:
                shots += person.shots
                person.close()
                report(shots, args.out)
        browser.close()


if __name__ == "__main__":
    main()
