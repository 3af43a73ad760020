"""Reads shared by pages, the API and reports. Every list runs a constant number of queries."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import F, Prefetch, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils import timezone

from lvzhi.cases.clocks import shown_codes
from lvzhi.cases.deadlines import DeadlineLight, Light, Lights
from lvzhi.cases.filters import Segment, list_order
from lvzhi.cases.handling.states import HANDLING, REPLIED
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import (
    ROLE_ORDER,
    Assignment,
    AssignmentState,
    Case,
    Commitment,
    CommitmentState,
    Cosign,
    CosignState,
    Deadline,
    Reply,
    ReplyState,
)
from lvzhi.cases.permissions import reply_visible, visible_cases
from lvzhi.cases.workflow import ID_MAX
from lvzhi.core.models import Role, User

SEVERITY = {Light.DONE: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


def open_clocks_prefetch() -> Prefetch:
    """`case.open_clocks`: the running clocks a list shows, earliest first."""
    return Prefetch("deadlines", to_attr="open_clocks", queryset=Deadline.objects.filter(
        met_at__isnull=True, cancelled=False, kind__in=shown_codes()).order_by("due_on", "id"))


def with_list_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a case row shows (pages and API): lead deputy, units, open clocks, confirmed
    co-signers, in fixed queries. The co-signers are a prefetch of the fetched rows only, not
    a COUNT … GROUP BY joined to the whole filtered list (which its count and pages would pay);
    `decorate` turns them into `case.cosigner_count`."""
    return qs.select_related("lead_deputy", "session__term").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                 .exclude(state=AssignmentState.WITHDRAWN).order_by(ROLE_ORDER, "id")),
        open_clocks_prefetch(),
        Prefetch("cosigns", to_attr="confirmed_cosigns", queryset=Cosign.objects.filter(
            state=CosignState.CONFIRMED).only("id", "case_id")),
    )


@dataclass
class CaseRow:
    case: Case
    light: Light
    light_label: str  # what the light says: "答复期限 剩12天", "已完成" for a finished case
    next_due: dt.date | None
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    # The clock the row shows (the worst light, the earliest among equals); None without one.
    deadline: DeadlineLight | None = None
    finished: bool = False


def decorate(cases: list[Case], today: dt.date | None = None,
             lights: Lights | None = None) -> list[CaseRow]:
    """Rows with their light. Each clock's warning window comes from its congress's rule set
    (Clock.warning); a page that decorates several lists passes one `Lights`, which reads each
    congress's rules and calendar once."""
    lights = lights or Lights(today)
    rows = []
    for c in cases:
        if not hasattr(c, "cosigner_count"):
            c.cosigner_count = len(getattr(c, "confirmed_cosigns", ()))
        clocks = getattr(c, "open_clocks", [])
        shown = [lights.of(d, c.congress_id) for d in clocks]
        worst = max(shown, key=lambda s: SEVERITY[s.light], default=None)
        finished = c.kind_def.state(c.state).terminal
        label = worst.text if worst else ("已完成" if finished else "—")
        lead = [a.unit.name for a in c.assignments.all() if a.role != "co"]
        co = [a.unit.name for a in c.assignments.all() if a.role == "co"]
        rows.append(CaseRow(c, worst.light if worst else Light.DONE, label,
                            clocks[0].due_on if clocks else None, lead, co, worst, finished))
    return rows


# ------------------------------------------------------------------------------ keyset pages

# Counted exactly up to here; beyond, the planner's estimate ("约 3,400 件（估算）"). Each
# counted row of a filtered list can cost a random read (a unit's assignments → its cases):
# 2,000 keeps the count within a few milliseconds, as the pages of the other lists (LISTB).
LIST_COUNT_CAP = 2_000


class InvalidCursor(ValueError):
    """A page position that does not decode, or was made for another sort."""

    message = "分页位置无效（可能来自另一种排序或已过期），已回到第一页"


@dataclass(frozen=True)
class ListCount:
    """How many cases a list holds: exact up to LIST_COUNT_CAP, else an estimate (PostgreSQL's
    planner) or, without one, only that there are more than LIST_COUNT_CAP."""

    n: int
    exact: bool

    @property
    def text(self) -> str:
        if self.exact:
            return f"共 {self.n} 件"
        if self.n > LIST_COUNT_CAP:
            wan = self.n / 10_000
            if wan >= 1:
                return f"约 {wan:.0f} 万件（估算）" if wan >= 10 else f"约 {wan:.1f} 万件（估算）"
            return f"约 {round(self.n, -2):,} 件（估算）"
        cap = f"{LIST_COUNT_CAP // 10_000}万" if LIST_COUNT_CAP % 10_000 == 0 else str(LIST_COUNT_CAP)
        return f"超过{cap}件"

    @property
    def note(self) -> str:
        """Why the figure is not exact, for the page's tooltip and the API's documentation."""
        return "" if self.exact else f"超过{LIST_COUNT_CAP}件时不逐条计数，显示为数据库的估算值；翻页不受影响"


def estimated_rows(qs: QuerySet) -> int | None:
    """The planner's row estimate for the query, without running it (PostgreSQL only)."""
    if connections[qs.db].vendor != "postgresql":
        return None
    plan = json.loads(qs.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def count_cases(qs: QuerySet[Case]) -> ListCount:
    """A count that stops at LIST_COUNT_CAP + 1 rows (SELECT count(*) FROM (… LIMIT n)), so a list of
    a million cases is not counted row by row for every page."""
    n = qs.order_by()[:LIST_COUNT_CAP + 1].count()
    if n <= LIST_COUNT_CAP:
        return ListCount(n, True)
    estimate = estimated_rows(qs)
    return ListCount(max(estimate, LIST_COUNT_CAP + 1) if estimate else LIST_COUNT_CAP + 1, False)


@dataclass(frozen=True)
class Position:
    """Where a page starts or ends in a keyset order: the run, the sort value, the case id."""

    seg: int
    value: Any
    pk: int


def _encode(sort: str, pos: Position, number: int, back: bool) -> str:
    value = pos.value.isoformat() if hasattr(pos.value, "isoformat") else pos.value
    raw = json.dumps([sort, pos.seg, value, pos.pk, number, int(back)], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, sort: str, segments: list[Segment]) -> tuple[Position, int, bool]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
        made_for, seg, value, pk, number, back = raw
        run = segments[seg]
        if made_for != sort or seg < 0 or not (isinstance(pk, int) and 0 < pk <= ID_MAX):
            raise ValueError
        parsed = run.parse(value) if len(run.keys) > 1 else None
        if len(run.keys) == 1 and value is not None:
            raise ValueError
        return Position(seg, parsed, pk), max(int(number), 1), bool(back)
    except (ValueError, TypeError, IndexError, UnicodeDecodeError, AttributeError) as exc:
        raise InvalidCursor(InvalidCursor.message) from exc


def _ordered(qs: QuerySet, run: Segment, backward: bool) -> QuerySet:
    desc = run.desc != backward
    return qs.order_by(*(F(k).desc() if desc else F(k).asc() for k in run.keys))


def _beyond(run: Segment, pos: Position, backward: bool) -> QuerySet:
    """The run's rows strictly after (before, backward) the position: a row comparison
    (value, id) > (v, pk), which a B-tree index on (value, id) answers as a range."""
    desc = run.desc != backward
    if len(run.keys) == 1:
        return run.qs.filter(pk__lt=pos.pk) if desc else run.qs.filter(pk__gt=pos.pk)
    compare = TupleLessThan if desc else TupleGreaterThan
    return run.qs.filter(compare(Tuple(*(F(k) for k in run.keys)), (pos.value, pos.pk)))


def _seek(segments: list[Segment], start: Position | None, backward: bool,
          n: int) -> list[Position]:
    """Up to n positions after `start` (or from the list's end when backward), one query per
    run from the start's run on: the same queries whatever the page holds."""
    order = range(len(segments) - 1, -1, -1) if backward else range(len(segments))
    found: list[Position] = []
    for i in order:
        if start is not None and (i > start.seg if backward else i < start.seg):
            continue
        run = segments[i]
        qs = _beyond(run, start, backward) if start is not None and i == start.seg else run.qs
        for values in _ordered(qs, run, backward).values_list(*run.keys)[:n]:
            found.append(Position(i, values[0] if len(run.keys) > 1 else None, values[-1]))
    return found[:n]


@dataclass
class KeysetPage:
    """A page of a keyset-paged list, with the parts of Django's Page the templates read."""

    object_list: list[Case]
    number: int
    size: int
    count: ListCount
    next_cursor: str = ""
    previous_cursor: str = ""

    def has_next(self) -> bool:
        return bool(self.next_cursor)

    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the count is exact, else None (the page says 第N页 only)."""
        return max(1, -(-self.count.n // self.size)) if self.count.exact else None


def list_cases(pks: list[int]) -> dict[int, Case]:
    """The page's cases with what their rows show (the default `fetch` of keyset_page)."""
    return {c.pk: c for c in with_list_relations(Case.objects.filter(pk__in=pks))}


def keyset_page(qs: QuerySet[Case], sort: str, cursor: str = "", size: int = 30,
                fetch: Callable[[list[int]], dict[int, Any]] = list_cases) -> KeysetPage:
    """One page of `qs` in the list order of `sort` (filters.list_order), from a cursor the
    previous page handed out: a deep page costs what the first does (no OFFSET), and a page
    continues where the last one ended even when cases were added or removed meanwhile.

    Queries: one per run of the order, `fetch` (the rows and their prefetches), the count (and
    on PostgreSQL an EXPLAIN for the estimate past LIST_COUNT_CAP). Raises InvalidCursor."""
    segments = list_order(qs.order_by(), sort)
    start, number, backward = (_decode(cursor, sort, segments) if cursor else (None, 1, False))
    found = _seek(segments, start, backward, size + 1)
    more = len(found) > size
    found = found[:size]
    if backward:
        found.reverse()
        if not more or number <= 1:  # back at the start: page 1, however the list changed meanwhile
            return keyset_page(qs, sort, "", size, fetch)
    rows = fetch([p.pk for p in found])
    page = KeysetPage([rows[p.pk] for p in found if p.pk in rows], number, size, count_cases(qs))
    if found and (more or backward):
        page.next_cursor = _encode(sort, found[-1], number + 1, False)
    if found and number > 1:
        page.previous_cursor = _encode(sort, found[0], number - 1, True)
    return page


@dataclass
class Inbox:
    to_reply: BoundedPage
    to_sign: list[Reply]
    returned: list[Reply]
    co_tasks: BoundedPage
    reassign_pending: list[Assignment]
    commitments: list[Commitment]
    replied: BoundedPage


INBOX_SHORT = 50  # the reply and promise lists: a unit's own few, capped for safety


def unit_inbox(user: User, query=None) -> Inbox:
    """One inbox for everything assigned to the user's unit, whatever the case kind; each case
    list a page of its own (?reply=, ?co=, ?replied=) in a fixed number of queries."""
    from django.http import QueryDict

    query = query if query is not None else QueryDict()
    org = user.organization_id
    lights = Lights(timezone.localdate())
    mine = Assignment.objects.filter(unit_id=org)
    base = visible_cases(user)
    # pk IN (the unit's assignments): a semi-join on the unit's own rows, no DISTINCT over a join
    answering = base.filter(pk__in=mine.filter(role__in=["lead", "split"],
                                               state=AssignmentState.HANDLING).values("case_id"))
    # A co-unit's task ends with the handling: a replied or closed case is no longer its to-do.
    co = base.filter(state=HANDLING, pk__in=mine.filter(
        role="co", state=AssignmentState.HANDLING).values("case_id"))
    # returned_by__organization: a reply returned by the office says which office (return_label)
    replies = Reply.objects.filter(assignment__unit_id=org).select_related(
        "case", "assignment__unit", "returned_by__organization")
    return Inbox(
        to_reply=bounded_page(answering.order_by("id"), query, param="reply", lights=lights),
        to_sign=list(replies.filter(state=ReplyState.DRAFT).order_by("id")[:INBOX_SHORT]),
        returned=list(replies.filter(state=ReplyState.RETURNED).order_by("id")[:INBOX_SHORT]),
        co_tasks=bounded_page(co.order_by("id"), query, param="co", lights=lights),
        reassign_pending=list(mine.filter(state=AssignmentState.REASSIGN_REQUESTED)
                              .select_related("case").order_by("id")[:INBOX_SHORT]),
        commitments=list(Commitment.objects.filter(unit_id=org, state=CommitmentState.OPEN)
                         .select_related("case").order_by("due_on", "id")[:INBOX_SHORT]),
        replied=bounded_page(base.filter(state=REPLIED).order_by("-id"), query, param="replied",
                             lights=lights),
    )


def visible_replies(user: User, case: Case) -> list[Reply]:
    return [r for r in case.replies.select_related("assignment__unit", "signed_by", "drafted_by",
                                                   "returned_by__organization")
            if reply_visible(user, r)]


# Back-office steps a deputy need not follow: a reply being drafted or signed, or sent back by
# the unit's head or by the clerk. The deputy sees the accepted reply and what concerns them.
BACK_OFFICE_EVENTS = {"draft_reply", "sign_reply", "return_draft", "return_reply"}


def event_visible(user: User, event) -> bool:
    if user.role != Role.DEPUTY:
        return True
    if event.name in BACK_OFFICE_EVENTS:
        return False
    # Events written before passing and returning were two transitions.
    return not (event.name == "review_reply" and not event.payload.get("accepted"))


def timeline(user: User, events) -> list:
    return [e for e in events if event_visible(user, e)]


@dataclass
class EntryReason:
    """Why the case is in its current state, when the step that put it there said so."""
    event: Any
    heading: str  # "退回理由" / "撤回理由" / "审定通过意见"
    text: str
    tone: str  # Bootstrap alert colour


def entry_reason(case: Case, all_events: list, events: list) -> EntryReason | None:
    """The reason carried by the event that entered the current state, if the user may see it.

    ``events`` is the user's timeline (already filtered by event_visible): a step hidden from
    the user is never explained to them, and a later step that kept the state (a reminder, a
    contact) does not hide the one that entered it.
    """
    entering = next((e for e in reversed(all_events)
                     if e.from_state != e.to_state and e.to_state), None)
    if entering is None or entering.to_state != case.state or entering not in events:
        return None
    p = entering.payload or {}
    text = str(p.get("reason") or p.get("note") or "").strip()
    if not text:
        return None
    t = get_kind(case.kind).workflow.transitions.get(entering.name)
    style = t.style if t else ""
    label = entering.label or (t.label if t else "")
    # A return reads "退回理由"; other steps name themselves ("撤回理由", "审定通过意见").
    verb = "退回" if label.startswith("退回") else label
    heading = f"{verb}{'理由' if p.get('reason') else '意见'}"
    tone = "warning" if "warning" in style else "danger" if "danger" in style else "info"
    return EntryReason(entering, heading, text, tone)


# ------------------------------------------------------------------ bounded pages (LISTB)

PAGE_SIZE = 20
# A page's total is counted exactly up to here and said as "N 件以上" beyond: counting every
# match of a long list costs more than the page itself, and nobody pages that far.
BOUNDED_COUNT_CAP = 2000


@dataclass
class BoundedPage:
    """One page of a list: Paginator-Page-like (`object_list`, `number`, `has_next()`, …) with a
    count that stops at `cap`. `param` names the page's query parameter, so several lists on
    one page page independently; `url(n)` keeps the other parameters."""

    rows: list[Any]
    object_list: list[Case]
    number: int
    size: int
    count: int  # exact when not `capped`
    capped: bool
    param: str
    query: dict[str, list[str]] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def count_label(self) -> str:
        return f"{self.count}件以上" if self.capped else f"{self.count}件"

    @property
    def pages_label(self) -> str:
        return f"第{self.number}页" if self.capped else f"第{self.number}/{self.num_pages}页"

    def url(self, number: int) -> str:
        from urllib.parse import urlencode

        q = {k: v for k, v in self.query.items() if k != self.param}
        q[self.param] = [str(number)]
        return "?" + urlencode(q, doseq=True)

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1)

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1)


def _page_number(raw: str | None, last: int) -> int:
    try:
        n = int(raw or 1)
    except (TypeError, ValueError):
        n = 1
    return min(max(n, 1), last)


def bounded_page(qs: QuerySet[Case], query, *, param: str = "page", size: int = PAGE_SIZE,
                 cap: int = BOUNDED_COUNT_CAP, lights: Lights | None = None,
                 decorated: bool = True) -> BoundedPage:
    """A page of case rows from `qs` (ordered, ending in a unique key such as id) in a fixed
    number of queries whatever the list's length: a count stopped at `cap`, the page's ids by
    offset (at most `cap` deep), then the rows with their relations for those ids only — the
    co-signer count and the clocks are never computed for rows not shown. `query` is the
    request's GET (the page number and the parameters its links keep). `decorated=False` leaves
    `rows` empty for a page that shows no lights (the portal)."""
    count = qs.order_by()[:cap + 1].count()
    capped = count > cap
    count = min(count, cap)
    last = max(1, -(-count // size))
    number = _page_number(query.get(param), last)
    start = (number - 1) * size
    ids = list(qs.values_list("pk", flat=True)[start:start + size])
    by_id = {c.pk: c for c in with_list_relations(Case.objects.filter(pk__in=ids))} if ids else {}
    cases = [by_id[i] for i in ids if i in by_id]
    return BoundedPage(decorate(cases, lights=lights) if decorated else [], cases, number, size, count, capped, param,
                       {k: query.getlist(k) for k in query} if hasattr(query, "getlist") else {})
