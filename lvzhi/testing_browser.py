"""Checks a browser test runs on any page (Playwright's sync `Page`), shared by the suites.

`cells_cut_mid_word(page)`: the short things in table cells — lights, badges, dates, numbers,
short labels — that the browser broke over two lines ("临/期", "已完/成"). Chinese has no
spaces, so any line break inside such a short text is a break inside a word. Long text (a
title, a list of units) may wrap; it is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# Debian's Chromium, never a browser Playwright downloads (CI installs it with apt).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


@contextmanager
def chromium(*extra_args: str) -> Iterator[Any]:
    """A headless Chromium for one test or module (the `browser` fixture in conftest.py)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("需要 Debian 的 chromium：apt-get install chromium（make test 会自动安装）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield b
        finally:
            b.close()

# What counts as short: elements meant to stay on one line, and any cell whose whole text is
# at most this many characters.
SHORT_CELL_CHARS = 12
NOWRAP_SELECTOR = ".badge, .light-text, .cell-nowrap, .text-nowrap"

_SCRIPT = """
([nowrapSelector, shortChars]) => {
  // Lines a piece of text occupies: its text nodes' client rects, grouped by vertical position
  // (a rect whose top lies below the previous line's middle starts a new line).
  const textNodes = (el) => {
    const nodes = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim()) nodes.push(n);
    return nodes;
  };
  const linesOf = (nodes) => {
    const rects = [];
    for (const n of nodes) {
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) rects.push(r);
    }
    rects.sort((a, b) => a.top - b.top);
    let count = 0, middle = -Infinity;
    for (const r of rects) {
      if (r.top >= middle) { count += 1; middle = r.top + r.height / 2; }
    }
    return count;
  };
  // Lines the page asked for are not breaks: a <br> (then each text on its own must keep to
  // one line) or a block inside the element (each block's text is counted on its own).
  const blockOf = (n, el) => {
    for (let a = n.parentElement; a && a !== el; a = a.parentElement) {
      const d = getComputedStyle(a).display;
      if (!d.startsWith("inline") && d !== "contents") return a;
    }
    return el;
  };
  const lines = (el) => {
    const nodes = textNodes(el);
    if (el.querySelector("br")) return Math.max(0, ...nodes.map((n) => linesOf([n])));
    const groups = new Map();
    for (const n of nodes) {
      const b = blockOf(n, el);
      if (!groups.has(b)) groups.set(b, []);
      groups.get(b).push(n);
    }
    return Math.max(0, ...Array.from(groups.values()).map(linesOf));
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const text = (el) => el.textContent.replace(/\\s+/g, " ").trim();
  const found = [];
  const seen = new Set();
  for (const cell of document.querySelectorAll("table td, table th")) {
    if (!visible(cell)) continue;
    const atoms = Array.from(cell.querySelectorAll(nowrapSelector));
    if (cell.matches(nowrapSelector) || (text(cell).length > 0 && text(cell).length <= shortChars)) atoms.push(cell);
    for (const el of atoms) {
      if (seen.has(el) || !visible(el)) continue;
      seen.add(el);
      const t = text(el);
      if (!t) continue;
      const n = lines(el);
      if (n > 1) found.push(`${t}（${n}行）`);
    }
  }
  return found;
}
"""


def cells_cut_mid_word(page: Any) -> list[str]:
    """Each short table text the page shows over more than one line, as "已完成（2行）"."""
    return page.evaluate(_SCRIPT, [NOWRAP_SELECTOR, SHORT_CELL_CHARS])


SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def page_as(browser: Any, live_server: Any, user: Any, width: int, height: int) -> Any:
    """A page logged in as `user` (the session cookie of a forced login: the login form and its
    lockout are tested elsewhere) at the given viewport, collecting console errors in `page.errors`."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def screenshot(page: Any, name: str) -> None:
    """docs/screenshots/<name>.png, the whole page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def click_and_wait(page: Any, *args: Any, **kwargs: Any) -> None:
    """Click the element found by role and wait for the page it navigates to."""
    with page.expect_navigation():
        page.get_by_role(*args, **kwargs).click()
