"""Fixtures for the role walks: the demo city on the test database, a live server, Chromium,
and `Walker`, one person's browser that checks every page it reaches.

After every navigation `Walker.visit` fails the walk (at its end, with everything found) on a
console error or page error, an English word in the visible text (lvzhi/testing_text.py,
outside its short allowlist) and table text cut mid-word (lvzhi/testing_browser.py), at the
desktop 1366x900 and the phone 390x844 viewport, and keeps both screenshots in
var/e2e-screenshots/<role>/<nn>-<page>-desktop.png / -phone.png (gitignored; the place a
person looks). A step whose link is not on the page yet is recorded as 未就绪, the walk goes
on from the home page, and the test ends as skipped listing those steps — never silently.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lvzhi.testing_browser import cells_cut_mid_word, chromium
from lvzhi.testing_text import english_words

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PENDING = "未就绪"
SECOND = "<second>"  # Walker.act: the second choice of a select (a co-unit beside the lead)

# The reply texts the walks type, long enough for the form's 30-character minimum.
REPLY_TEXT = ("经研究，我局已将该问题列入年度重点工作，会同属地街道制定整改方案，明确责任科室和完成时限，"
              "计划于年底前完成整改，并在办理过程中与代表保持沟通，及时通报进展情况。")
ELEVATOR_BODY = ("我市老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼十分困难。目前加装电梯"
                 "审批环节多、财政补贴标准不明确，低楼层住户意见难以协调。建议简化审批流程，"
                 "明确每台电梯的补贴金额，由街道牵头建立居民协商机制。")


# Injected by the browser (not subject to the pages' CSP): htmx requests in flight.
_HTMX_COUNTER = """
window.__lvzhiHtmx = 0;
document.addEventListener("htmx:beforeRequest", () => { window.__lvzhiHtmx += 1; });
document.addEventListener("htmx:afterSettle", () => { window.__lvzhiHtmx -= 1; });
document.addEventListener("htmx:afterRequest", (e) => { if (!e.detail.successful) window.__lvzhiHtmx -= 1; });
"""
_ROLE_CSS = {"link": "a[href]", "button": "button, input[type=submit]"}


class StepPending(Exception):
    """A link or button the walk needs is not on the page yet (another part of the work)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module's walks (each walk opens its own pages)."""
    with chromium() as b:
        yield b


@dataclass
class Demo:
    """The small demo city (lvzhi/demo, the same builder as `seed_demo --small`), topped up
    through the engine so that every list a walk acts on has at least two items."""

    congress: Any
    password: str
    seconds: float


@pytest.fixture
def demo(live_server, settings) -> Demo:
    # A fresh city per test: each role's day is independent of the order tests run in, and
    # the live server's transactional database is emptied after each test.
    from lvzhi.demo import data as D
    from lvzhi.demo.builder import SMALL, DemoBuilder

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    start = time.monotonic()
    city = DemoBuilder(SMALL).build()
    _top_up(city)
    return Demo(city, D.DEMO_PASSWORD, time.monotonic() - start)


def _top_up(city: Any) -> None:
    """What the small demo has only one of, or none, made the way a user would make it."""
    from lvzhi.cases.engine import fire
    from lvzhi.cases.models import Assignment, AssignmentRole, AssignmentState, Case, Reply
    from lvzhi.cases.workflow import TransitionError
    from lvzhi.core.models import Session, User
    from lvzhi.deputies.models import Deputy
    from lvzhi.suggestions.services import create_draft

    users = {u.username: u for u in User.objects.filter(congress=city)}
    # An invitation for the demo deputy: 陈雅琴 (deputy2) asks 刘建华 (deputy) to co-sign.
    session = Session.objects.filter(term__congress=city).order_by("-number").first()
    deputy, deputy2 = (Deputy.objects.get(user=users[n]) for n in ("deputy", "deputy2"))
    other = Deputy.objects.filter(congress=city).exclude(pk__in=[deputy.pk, deputy2.pk]).first()
    case = create_draft(deputy2.user, {
        "kind": "suggestion", "title": "关于在老旧小区增设电动自行车集中充电设施的建议",
        "body": "我市不少老旧小区没有电动自行车集中充电设施，居民飞线充电、楼道停放现象普遍，"
                "存在较大消防安全隐患。建议由住建部门牵头，会同消防、供电部门统筹规划，"
                "在具备条件的小区增设集中充电桩，并对改造费用给予适当补贴。",
        "category": "城乡建设", "cosigners": [deputy.pk, other.pk]}, session=session)
    fire(case, "submit", deputy2.user)
    # A submission that names 加装电梯 and 补贴 in its body only: the clerk's search must find it.
    elevator = create_draft(deputy2.user, {
        "kind": "suggestion", "title": "关于加快老旧小区适老化改造的建议",
        "body": ELEVATOR_BODY, "category": "城乡建设", "cosigners": []}, session=session)
    fire(elevator, "submit", deputy2.user)

    # Two drafts for the head (return one, sign one), two signed replies for the clerk.
    handler, head = users["handler"], users["head"]
    busy = set(Reply.objects.filter(assignment__unit=handler.organization,
                                    state__in=["draft", "signed", "returned"]).values_list("case_id", flat=True))
    free = [a for a in Assignment.objects.filter(
        unit=handler.organization, role=AssignmentRole.LEAD, state=AssignmentState.HANDLING,
        case__state="handling").exclude(case_id__in=busy).order_by("id")]
    for n, a in enumerate(free[:2]):
        c = Case.objects.get(pk=a.case_id)
        # A unit may have to sign for the case first (签收), where the rule set asks it.
        with contextlib.suppress(TransitionError, KeyError):
            fire(c, "acknowledge", handler, {"assignment": a.pk})
        fire(c, "draft_reply", handler, {"assignment": a.pk, "reply_class": "B", "text": REPLY_TEXT})
        if n == 1:
            reply = c.replies.filter(assignment=a).latest("id")
            fire(c, "sign_reply", head, {"reply": reply.pk, "confirm": True})


class Walker:
    """One person at one browser: every navigation goes through `visit`, which checks the page."""

    def __init__(self, browser: Any, base: str, role: str, *, phone: bool = False,
                 ignore: tuple[str, ...] = ()) -> None:
        self.base, self.role, self.phone = base, role, phone
        self.viewport = PHONE if phone else DESKTOP
        self.context = browser.new_context(viewport=self.viewport, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(_HTMX_COUNTER)
        self.page = self.context.new_page()
        self.ignore = ignore  # data the walk itself typed (usernames), not the page's words
        self.errors: list[str] = []
        self.problems: list[str] = []
        self.pending: list[str] = []
        self.visited: list[str] = []
        self.n = 0
        self.todo_clicked = False
        self.expected_status = False
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"脚本错误：{e}"))
        self.page.on("dialog", lambda d: d.accept())  # data-confirm buttons ask; a user says yes
        self.dir = ARTIFACTS / role
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        # The browser logs the status of a page the walk opened on purpose (a 404) as an error.
        if self.expected_status and "Failed to load resource" in msg.text:
            return
        self.errors.append(f"控制台错误：{msg.text}")

    # ------------------------------------------------------------------ navigation

    def login(self, username: str, password: str) -> None:
        """The one address typed: the login page. Everything after is clicked."""
        self.visit(f"{self.base}/login/", "登录页")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.visit(self.page.locator("main button[type=submit]"), "首页")
        assert "/login/" not in self.page.url, f"{username} 登录失败"

    def visit(self, target: str | Any, name: str, *, status: int | None = None) -> None:
        """Open an address (only for the login and the anonymous visitor's entry) or click a
        link/button; then check the page and keep its screenshots."""
        self.expected_status = status is not None
        start = time.monotonic()
        if isinstance(target, str):
            response = self.page.goto(target)
            if status is not None:
                assert response is not None and response.status == status, \
                    f"{target} 应返回 {status}，实际 {response.status if response else '无响应'}"
        else:
            with self.page.expect_navigation():
                target.click()
        self._settle()
        loaded = time.monotonic() - start
        self.check(name)
        self.visited[-1] += f"（载入 {loaded:.1f} 秒，检查 {time.monotonic() - start - loaded:.1f} 秒）"
        self.expected_status = False

    def _settle(self) -> None:
        self.page.wait_for_load_state("load")
        # htmx fragments (assist hints, previews) load after the page: wait until none is in
        # flight (counted by _HTMX_COUNTER); a polling page is checked as it is after 5 s.
        self.page.wait_for_timeout(60)
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function("() => (window.__lvzhiHtmx || 0) <= 0", timeout=5_000)

    def check(self, name: str) -> None:
        self.n += 1
        label = f"{self.n:02d}-{name}"
        path = self.page.url.removeprefix(self.base)
        self.visited.append(f"{label} {path}")
        for e in self.errors:
            self.problems.append(f"{label} {path}：{e}")
        self.errors.clear()
        other = DESKTOP if self.phone else PHONE
        for size, tag in ((self.viewport, self._tag(self.viewport)), (other, self._tag(other))):
            if size is not self.viewport:
                self.page.set_viewport_size(size)
                self.page.wait_for_timeout(150)  # layout and charts follow the resize
            text = self.page.evaluate("document.body.innerText")
            for word in english_words(text, ignore=self.ignore):
                self._problem(f"{label} {path}：英文“{word}”")
            cuts = cells_cut_mid_word(self.page)
            if cuts:  # one line per page and size: the first few, and how many in all
                more = f" 等{len(cuts)}处" if len(cuts) > 3 else ""
                self._problem(f"{label} {path}（{tag}）：断字 {'；'.join(cuts[:3])}{more}")
            self.page.screenshot(path=str(self.dir / f"{label}-{'phone' if size is PHONE else 'desktop'}.png"),
                                 full_page=True)
        self.page.set_viewport_size(self.viewport)
        for e in self.errors:  # errors raised by the resize itself (charts)
            self.problems.append(f"{label} {path}：{e}")
        self.errors.clear()

    @staticmethod
    def _tag(size: dict[str, int]) -> str:
        return "手机" if size is PHONE else "桌面"

    def _problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    # ------------------------------------------------------------------ finding what to click

    def find(self, pattern: str, *, roles: tuple[str, ...] = ("link", "button"), scope: Any = None) -> Any | None:
        """The first visible link or button whose text matches; on a phone, opens the menu first
        if needed. Matched on the text a user reads (not the accessible name, which would carry
        an icon font's private-use glyph)."""
        where = scope if scope is not None else self.page
        css = ", ".join(_ROLE_CSS[r] for r in roles)
        for attempt in range(2):
            found = where.locator(css).filter(has_text=re.compile(pattern))
            for i in range(found.count()):
                if found.nth(i).is_visible():
                    return found.nth(i)
            toggler = self.page.locator(".navbar-toggler")
            if attempt == 0 and toggler.count() and toggler.is_visible() \
                    and toggler.get_attribute("aria-expanded") != "true":
                toggler.click()
                self.page.locator("#nav").wait_for(state="visible")
                continue
            break
        return None

    def need(self, pattern: str, what: str, **kw: Any) -> Any:
        found = self.find(pattern, **kw)
        if found is None:
            raise StepPending(f"{what}（页面上没有“{pattern}”，{self.page.url.removeprefix(self.base)}）")
        return found

    def follow(self, pattern: str, name: str, **kw: Any) -> None:
        self.visit(self.need(pattern, name, **kw), name)

    def home(self) -> None:
        """Back to the home page the way a user goes there: the brand link."""
        self.visit(self.page.locator("a.navbar-brand"), "首页")

    def todo(self, list_pattern: str, name: str) -> None:
        """Home → 待办 (the nav entry with its count) → one list. Where the home page is the
        待办 page itself, the nav entry is clicked the first time only, as a user would."""
        self.home()
        if not self.todo_clicked or not self.page.url.removeprefix(self.base).startswith("/todo/"):
            self.follow(r"^\s*待办", "待办")
            self.todo_clicked = True
        self.follow(list_pattern, name, scope=self.page.locator("main"))

    def open_first_case(self, name: str) -> None:
        link = self.page.locator("main a[href^='/cases/']").filter(
            has_not_text=re.compile(r"^\s*$")).locator("visible=true")
        links = [link.nth(i) for i in range(link.count())
                 if re.fullmatch(r"/cases/\d+/", link.nth(i).get_attribute("href") or "")]
        if not links:
            raise StepPending(f"{name}（列表中没有案件，{self.page.url.removeprefix(self.base)}）")
        self.visit(links[0], name)

    def act(self, label: str, name: str, fields: dict[str, Any] | None = None, *,
            radios: dict[str, str] | None = None, checks: tuple[str, ...] = (), text: str = "",
            before_submit: Callable[[Any], None] | None = None) -> None:
        """Press one of the case page's actions and, if it opens a form, fill it and confirm.
        `fields` names fields the form may have (a kind's form may lack one); a select left
        empty gets its first choice, as a user taking "the first one" would; SECOND picks the
        second choice; `text` goes into every empty visible text area (a reason, an opinion)."""
        actions = self.page.locator("#actions")
        button = self.need(rf"^\s*({label})\s*$", f"{name}：操作“{label}”", scope=actions)
        target = button.get_attribute("data-bs-target")
        if not target:  # a link to its own page, or a form with nothing to fill
            self.visit(button, name)
            return
        button.click()
        form = self.page.locator(f"{target} form")
        form.wait_for(state="visible")
        self._settle()
        for field, value in (fields or {}).items():
            el = form.locator(f"[name={field}]")
            if not el.count():
                continue
            el = el.first
            if el.evaluate("e => e.tagName") == "SELECT":
                if value == SECOND:
                    value = self._options(el)[1:2]
                el.select_option(value)
            else:
                el.fill(value)
        for field, value in (radios or {}).items():
            form.locator(f"[name={field}][value='{value}']").check()
        for field in checks:
            box = form.locator(f"[name={field}]")
            try:
                box.check()
            except PlaywrightError:
                # a fragment the dialog loads (the reply check) may swap the form under the
                # click on a loaded machine: wait for it, then tick the box a person sees
                self._settle()
                box.check()
        selects = form.locator("select")
        for i in range(selects.count()):
            sel = selects.nth(i)
            if sel.is_visible() and not sel.evaluate("e => e.multiple") and not sel.input_value():
                values = self._options(sel)
                if values:
                    sel.select_option(values[0])
        if text:
            areas = form.locator("textarea")
            for i in range(areas.count()):
                if areas.nth(i).is_visible() and not areas.nth(i).input_value().strip():
                    areas.nth(i).fill(text)
        if before_submit is not None:
            before_submit(form)
        self.visit(form.locator("button[type=submit]").last, name)
        refused = self.page.locator(".invalid-feedback:visible, .alert-danger:visible")
        if refused.count():
            raise AssertionError(f"{name}：表单被拒绝：{refused.all_inner_texts()}")

    @staticmethod
    def _options(select: Any) -> list[str]:
        return [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]

    # ------------------------------------------------------------------ steps and the verdict

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        """One part of the day; a missing link ends only this part, recorded as 未就绪."""
        try:
            yield
        except StepPending as missing:
            self.pending.append(f"{what}：{missing}")
        except (AssertionError, PlaywrightError) as failed:  # the walk goes on; the test fails at the end
            self.problems.append(f"步骤失败 {what}：{str(failed).splitlines()[0] if str(failed) else repr(failed)}"
                                 f"（{self.page.url.removeprefix(self.base)}）")

    def finish(self) -> None:
        report = [f"角色：{self.role}", "访问：", *self.visited, "问题：", *self.problems,
                  f"{PENDING}：", *self.pending]
        (self.dir / "report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
        self.context.close()
        if self.problems:
            pytest.fail(f"{self.role}：{len(self.problems)} 个问题\n" + "\n".join(self.problems)
                        + ("\n" + PENDING + "：\n" + "\n".join(self.pending) if self.pending else ""),
                        pytrace=False)
        if self.pending:
            pytest.skip(f"{self.role}：以下步骤{PENDING}：" + "；".join(self.pending))


@pytest.fixture
def walker(browser, live_server, demo) -> Iterator[Callable[..., Walker]]:
    made: list[Walker] = []

    def make(role: str, username: str | None = None, *, phone: bool = False, admin: bool = False) -> Walker:
        # Data the walk itself produced is not the page's wording: the login name (the admin
        # shows it in capitals, by CSS), and in the admin's login log this browser's user agent
        # and the login address. An administrator's lists show every account's login name.
        names: list[str] = [username, username.upper()] if username else []
        if admin:
            from lvzhi.core.models import User

            logins = list(User.objects.values_list("username", flat=True))
            names += logins + [n.upper() for n in logins] + ["/login/"]
        w = Walker(browser, live_server.url, role, phone=phone, ignore=tuple(names))
        w.ignore += (w.page.evaluate("navigator.userAgent"),)
        w.visited.append(f"演示数据 {demo.seconds:.1f} 秒")
        if username:
            w.login(username, demo.password)
        made.append(w)
        return w

    yield make
    for w in made:
        with contextlib.suppress(PlaywrightError):  # already closed by finish()
            w.context.close()
