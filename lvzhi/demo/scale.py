"""A decade of cases for measuring the platform at scale (`manage.py build_scale_data`).

The demo city (`seed_demo`) is built through the real engine; its ~500 cases in every state are
the templates. Each round clones a sample of them into one year — k years back, with every date
shifted by 52·k weeks (so weekdays stay weekdays), the session of that year, a real citizen's
message as the new title and body, the unit the message routes to, other deputies — so every
row a page reads (assignments, deadlines, replies, evaluations, contacts, co-signers, key-task
details, events with their payloads) is in a shape the engine itself once wrote. Past years get
only templates whose state is final (a decade ago nothing is still being handled); the current
year gets the demo's whole mix. The events are re-chained per congress with the real digest
(`lvzhi.cases.events._digest_v3`), so `verify_chain` passes, and the search documents are
written with the index's own word splitter (`lvzhi.search.documents.words`), each distinct text
segmented once.

Rows are written in bulk: PostgreSQL COPY (psycopg 3 `cursor.copy`), SQLite multi-row INSERTs.
Signals do not run (no ORM save), so the reports' facts are rebuilt at the end when that
command exists.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from lvzhi.cases import events as chain
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import (
    Assignment,
    AssignmentState,
    Case,
    CaseNumberCounter,
    ChainHead,
    Cosign,
    CosignState,
    Deadline,
    Event,
    Reply,
    ReplyState,
)
from lvzhi.core.models import Congress, Organization, OrganizationKind, Role, Session, Term, User
from lvzhi.demo import data as D
from lvzhi.demo.sources import load_messages, load_reply_pairs, subject_of
from lvzhi.deputies.models import Delegation, Deputy, Gender
from lvzhi.search.documents import words
from lvzhi.search.models import SearchDocument

YEARS = 10  # the current year and nine before it
WEEK = dt.timedelta(days=7)
# Rows that hang from a case but are not cloned: derived (search, facts, vectors), per user
# (notifications), or collections a clerk builds by hand (bundles, dispatch rounds).
SKIP_APPS = {"search", "reports", "assist"}
SKIP_TABLES = {"core_notification", "cases_bundle_cases", "keytasks_dispatch_cases", "cases_event"}
# How often a template is cloned: key tasks are few (a committee has ~20 a year), key
# suggestions ~1 % of all.
KIND_WEIGHT = {"key_task": 0.12}
KEY_WEIGHT = 0.33
EXTRA_UNITS = [("市信访局", "信访局", "其他"), ("市政务服务和数据管理局", "政务服务局", "经济发展")]
UNITS_WANTED = 80
DROP_INDEXES_FROM = 200_000  # cases; below that, index inserts cost less than a rebuild
DEPUTIES_WANTED = 500


class ScaleError(Exception):
    pass


@dataclass
class ScaleReport:
    cases: int = 0
    by_state: Counter = field(default_factory=Counter)  # (kind, state) -> cases added
    rows: Counter = field(default_factory=Counter)  # table -> rows added
    events: int = 0
    seconds: float = 0.0
    years: Counter = field(default_factory=Counter)


@dataclass
class Template:
    case: dict[str, Any]
    rows: dict[type[models.Model], list[dict[str, Any]]]
    events: list[dict[str, Any]]
    terminal: bool  # final state and no clock left open: what a past year may hold
    weight: float
    answered: bool
    subject: str


def _unique_beyond_case(m: type[models.Model], cloned: list[type[models.Model]]) -> bool:
    """Whether rows of `m` hold a value unique across cases (a filing's 文号): a clone would repeat it,
    so a case with such rows is never a template. A key through a case or a cloned row is renumbered."""
    renumbered = {Case, *cloned}

    def case_bound(names) -> bool:
        return any(m._meta.get_field(n).is_relation and m._meta.get_field(n).related_model in renumbered
                   for n in names)
    if any(f.unique and not f.primary_key and not (f.is_relation and f.related_model in renumbered)
           for f in m._meta.concrete_fields):
        return True
    groups = [c.fields for c in m._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    groups += list(m._meta.unique_together)
    return any(not case_bound(g) for g in groups)


def _cloned_models() -> list[type[models.Model]]:
    """Every table whose rows belong to one case (a FK to Case), and the many-to-many tables
    hanging from those, parents before children."""
    direct = [m for m in apps.get_models(include_auto_created=True)
              if m is not Case and m._meta.app_label not in SKIP_APPS
              and m._meta.db_table not in SKIP_TABLES
              and any(f.is_relation and f.related_model is Case for f in m._meta.concrete_fields)]
    through = [m for m in apps.get_models(include_auto_created=True)
               if m._meta.auto_created and m not in direct and m._meta.db_table not in SKIP_TABLES
               and any(f.is_relation and f.related_model in direct for f in m._meta.concrete_fields)]
    order: list[type[models.Model]] = []

    def visit(m: type[models.Model], seen: set) -> None:
        if m in order or m in seen:
            return
        seen.add(m)
        for f in m._meta.concrete_fields:
            if f.is_relation and f.related_model in direct + through and f.related_model is not m:
                visit(f.related_model, seen)
        order.append(m)

    for m in direct + through:
        visit(m, set())
    return order


def _parent_fk(m: type[models.Model], cloned: list) -> models.Field:
    """The field tying a row to its case: the FK to Case, or for a through table its parent's."""
    for f in m._meta.concrete_fields:
        if f.is_relation and f.related_model is Case:
            return f
    for f in m._meta.concrete_fields:
        if f.is_relation and f.related_model in cloned:
            return f
    raise ScaleError(f"{m._meta.db_table} 无法归属到案件")


class Writer:
    """Bulk rows into tables: COPY on PostgreSQL, multi-row INSERT elsewhere."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as c:
            if self.pg:
                cols = ", ".join(f'"{x}"' for x in columns)
                with c.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                cols = ", ".join(f'"{x}"' for x in columns)
                marks = ", ".join(["%s"] * len(columns))
                per = max(1, 900 // len(columns))  # SQLite's bound-parameter limit
                for i in range(0, len(rows), per):
                    chunk = rows[i:i + per]
                    c.execute(f'INSERT INTO "{table}" ({cols}) VALUES '
                              + ", ".join([f"({marks})"] * len(chunk)),
                              [self.adapt(v) for r in chunk for v in r])

    @staticmethod
    def adapt(v: Any) -> Any:
        if isinstance(v, dt.datetime):
            return connection.ops.adapt_datetimefield_value(v)
        if isinstance(v, dt.date):
            return connection.ops.adapt_datefield_value(v)
        return v


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


class ScaleBuilder:
    def __init__(self, cases: int, *, seed: int = 16, out: Callable[[str], None] | None = None,
                 chunk: int = 20000) -> None:
        self.wanted = cases
        self.rng = random.Random(seed)
        self.say = out or (lambda s: None)
        self.chunk = chunk
        self.writer = Writer()
        self.report = ScaleReport()
        self.word_cache: dict[str, list[str]] = {}

    # ------------------------------------------------------------------ setup

    def build(self) -> ScaleReport:
        start = time.monotonic()
        self.city = Congress.objects.filter(name=D.CITY_NAME).first()
        if self.city is None:
            raise ScaleError("没有演示数据：请先运行 manage.py seed_demo")
        with transaction.atomic():
            self._sessions()
            self._units()
            self._deputies()
        self._people()
        self._templates()
        self._messages()
        self.say(f"  准备：模板 {len(self.templates)} 件，留言 {len(self.msgs)} 条，"
                 f"{time.monotonic() - start:.1f} 秒")
        self._ids()
        self._clone_all()
        self._finish()
        self.report.seconds = time.monotonic() - start
        return self.report

    def _sessions(self) -> None:
        """A session every January for YEARS + 1 years (a template of last year's session shifted
        nine years back still finds one): the demo's term holds the last five, earlier terms
        of five sessions each are added before it."""
        current = Term.objects.filter(congress=self.city).order_by("-number").first()
        ours = list(Session.objects.filter(term=current).order_by("opens_on"))
        if not ours:
            raise ScaleError("演示数据缺少会议")
        latest, y0 = ours[-1], ours[0].opens_on.year - ours[0].number + 1  # term's first year
        self.year = latest.opens_on.year
        have = {s.opens_on.year for s in Session.objects.filter(term__congress=self.city)}
        for y in range(self.year - YEARS, y0):
            back = (y0 - y + 4) // 5  # terms before the current one
            term, _ = Term.objects.get_or_create(
                congress=self.city, number=current.number - back,
                defaults={"start_on": dt.date(y0 - 5 * back, 1, 8),
                          "end_on": dt.date(y0 - 5 * back + 4, 12, 31)})
            if y not in have:
                Session.objects.get_or_create(term=term, number=y - (y0 - 5 * back) + 1, defaults={
                    "opens_on": latest.opens_on.replace(year=y),
                    "closes_on": latest.closes_on.replace(year=y)})
        self.sessions = {s.opens_on.year: s for s in
                         Session.objects.filter(term__congress=self.city).select_related("term")}
        self.session_year = {s.pk: y for y, s in self.sessions.items()}

    def _units(self) -> None:
        units = Organization.objects.filter(congress=self.city, kind=OrganizationKind.UNIT)
        missing = UNITS_WANTED - units.count()
        if missing <= 0:
            return
        names = set(units.values_list("name", flat=True))
        extra = [u for u in EXTRA_UNITS if u[0] not in names]
        extra += [(f"市第{i}专项工作办公室", f"专项办{i}", "其他") for i in range(1, missing + 1)]
        password = User.objects.filter(congress=self.city, username="clerk").values_list(
            "password", flat=True).first() or "!"
        for i, (name, short, fld) in enumerate(extra[:missing], start=units.count() + 1):
            org = Organization.objects.create(congress=self.city, kind=OrganizationKind.UNIT,
                                              name=name, short_name=short, field=fld, sort_order=i)
            for role, suffix, who in ((Role.UNIT_HANDLER, "handler", "经办人"),
                                      (Role.UNIT_HEAD, "head", "负责人")):
                User.objects.create(username=f"u{i:02d}_{suffix}", role=role, congress=self.city,
                                    organization=org, display_name=f"{short}{who}",
                                    password=password, must_change_password=False)

    def _deputies(self) -> None:
        have = Deputy.objects.filter(congress=self.city).count()
        missing = DEPUTIES_WANTED - have
        if missing <= 0:
            return
        term = Term.objects.filter(congress=self.city).order_by("-number").first()
        delegations = list(Delegation.objects.filter(congress=self.city))
        password = User.objects.filter(congress=self.city, username="clerk").values_list(
            "password", flat=True).first() or "!"
        taken = set(Deputy.objects.filter(congress=self.city).values_list("name", flat=True))
        rows = []
        for i in range(have + 1, have + missing + 1):
            female = self.rng.random() < 0.42
            while True:
                pool = D.GIVEN_FEMALE if female else D.GIVEN_MALE
                name = self.rng.choice(D.SURNAMES) + "".join(
                    self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))
                if name not in taken:
                    break
            taken.add(name)
            user = User.objects.create(username=f"d{i:04d}", role=Role.DEPUTY, display_name=name,
                                       congress=self.city, password=password,
                                       must_change_password=False)
            dep = Deputy(congress=self.city, term=term, user=user, name=name,
                         gender=Gender.FEMALE if female else Gender.MALE,
                         delegation=self.rng.choice(delegations))
            dep.phone = f"139{self.rng.randrange(10**8):08d}"
            rows.append(dep)
        Deputy.objects.bulk_create(rows)

    def _people(self) -> None:
        self.units = list(Organization.objects.filter(congress=self.city, kind=OrganizationKind.UNIT))
        self.unit_names = {u.pk: u.name for u in self.units}
        self.units_by_field: dict[str, list[int]] = defaultdict(list)
        for u in self.units:
            self.units_by_field[u.field].append(u.pk)
        users = list(User.objects.filter(congress=self.city).select_related("organization"))
        self.actor_labels = {u.pk: chain._actor_label(u) for u in users}
        self.unit_user: dict[tuple[int, str], int] = {}
        self.user_unit_role: dict[int, tuple[int, str]] = {}
        for u in users:
            if u.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD) and u.organization_id:
                self.unit_user.setdefault((u.organization_id, u.role), u.pk)
                self.user_unit_role[u.pk] = (u.organization_id, u.role)
        deps = list(Deputy.objects.filter(congress=self.city, status="active", user__isnull=False)
                    .order_by("id").values_list("id", "name", "user_id"))
        if not deps:
            raise ScaleError("演示数据中没有代表")
        self.deputies = deps
        self.frequent = self.rng.sample(deps, max(1, len(deps) // 5))
        self.dep_name = {d: n for d, n, _u in Deputy.objects.filter(congress=self.city)
                         .values_list("id", "name", "user_id")}
        self.dep_user = dict(Deputy.objects.filter(congress=self.city).values_list("id", "user_id"))
        self.user_dep = {u: d for d, u in self.dep_user.items() if u}

    def _templates(self) -> None:
        self.cloned = _cloned_models()
        self.json_fields = {m: {f.attname for f in m._meta.concrete_fields
                                if isinstance(f, models.JSONField)} for m in self.cloned}
        limit = 5000  # the demo's own cases come first; clones are never templates
        cases = list(Case.objects.filter(congress=self.city).order_by("id")
                     .values(*[f.attname for f in Case._meta.concrete_fields])[:limit])
        ids = [c["id"] for c in cases]
        by_case: dict[int, dict[type, list]] = defaultdict(lambda: defaultdict(list))
        owner: dict[type, dict[int, int]] = {}
        for m in self.cloned:
            fk = _parent_fk(m, self.cloned)
            attnames = [f.attname for f in m._meta.concrete_fields]
            owner[m] = {}
            if fk.related_model is Case:
                qs = m.objects.filter(**{f"{fk.attname}__in": ids})
                to_case = lambda r, fk=fk: r[fk.attname]  # noqa: E731
            else:
                parents = owner[fk.related_model]
                qs = m.objects.filter(**{f"{fk.attname}__in": list(parents)})
                to_case = lambda r, fk=fk, parents=parents: parents[r[fk.attname]]  # noqa: E731
            for r in qs.values(*attnames):
                cid = to_case(r)
                owner[m][r[m._meta.pk.attname]] = cid
                by_case[cid][m].append(r)
        evs: dict[int, list] = defaultdict(list)
        for e in (Event.objects.filter(case_id__in=ids, subject_type=chain.CASE).order_by("seq")
                  .values("case_id", "actor_id", "name", "label", "from_state", "to_state",
                          "payload", "at")):
            evs[e["case_id"]].append(e)
        self.templates: list[Template] = []
        unique = {m: _unique_beyond_case(m, self.cloned) for m in self.cloned}
        for c in cases:
            kind = get_kind(c["kind"])
            # a closed case with a promise still open would be overdue for years
            terminal = kind.state(c["state"]).terminal and not any(
                d["met_at"] is None and not d["cancelled"] for d in by_case[c["id"]].get(Deadline, []))
            weight = KIND_WEIGHT.get(c["kind"], 1.0) * (KEY_WEIGHT if c["is_key"] else 1.0)
            if any(rows and unique[m] for m, rows in by_case[c["id"]].items()):
                weight = 0.0
            replies = by_case[c["id"]].get(Reply, [])
            self.templates.append(Template(
                case=c, rows=by_case[c["id"]], events=evs[c["id"]], terminal=terminal,
                weight=weight, answered=any(r["state"] == ReplyState.ACCEPTED for r in replies),
                subject=subject_of(c["title"]) if c["kind"] == "suggestion" else ""))
        self.by_id = {t.case["id"]: t for t in self.templates}
        if not self.templates:
            raise ScaleError("演示数据中没有案件")

    def _messages(self) -> None:
        """Real messages as (title, body, category, lead unit, other unit, reply)."""
        from lvzhi.demo.builder import FULL, DemoBuilder

        data_dir = settings.DATA_DIR
        plain = load_messages(data_dir)
        answered, _pool = load_reply_pairs(data_dir)
        b = DemoBuilder(FULL)
        b.rng = self.rng
        b.orgs = {u.name: u for u in self.units}
        b.unit_keywords = {b.orgs[name]: kws for name, _s, _f, kws in D.UNITS if name in b.orgs}
        self.msgs: list[tuple] = []
        for m in plain + answered:
            if m.category not in D.CATEGORY_DEFAULT_UNIT or D.CATEGORY_DEFAULT_UNIT[m.category] not in b.orgs:
                continue
            lead, alt = b._route(m)
            self.msgs.append((m.title_as_deputy, b._suggestion_body(m, lead), m.category, lead.pk,
                              alt.pk if alt else None, m.reply, subject_of(m.title_as_deputy)))
        self.rng.shuffle(self.msgs)
        self.answered_msgs = [m for m in self.msgs if m[5]]
        self.plain_msgs = [m for m in self.msgs if not m[5]] or self.msgs
        if not self.answered_msgs:
            self.answered_msgs = self.msgs

    def _ids(self) -> None:
        self.next_id: dict[str, int] = {}
        for m in [Case, Event, *self.cloned]:
            t = m._meta.db_table
            with connection.cursor() as c:
                c.execute(f'SELECT COALESCE(MAX("{m._meta.pk.column}"), 0) FROM "{t}"')
                self.next_id[t] = c.fetchone()[0] + 1
        head = ChainHead.objects.filter(congress=self.city).first()
        self.seq = head.seq if head else 0
        self.prev_hash = head.hash if head else chain.GENESIS
        self.key = chain.audit_key()
        self.counters: dict[tuple[str, str], int] = {
            (k, s): n for k, s, n in CaseNumberCounter.objects.filter(congress=self.city)
            .values_list("kind", "series", "last")}

    def _take(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    # ------------------------------------------------------------------ rounds

    def _round(self, k: int) -> list[Template]:
        rng = self.rng
        chosen = {t.case["id"]: t for t in self.templates
                  if (k == 0 or t.terminal) and rng.random() < t.weight}
        changed = True
        while changed:  # a merged or converted case needs its target in the same round
            changed = False
            for cid, t in list(chosen.items()):
                for ref in ("merged_into_id", "converted_to_id"):
                    if t.case[ref] and t.case[ref] not in chosen:
                        del chosen[cid]
                        changed = True
                        break
        return list(chosen.values())

    def _clone_all(self) -> None:
        """Rounds of clones, written a batch at a time by a thread of its own (its own
        connection), so the database takes one batch while Python makes the next."""
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.failed: list[BaseException] = []
        # Inside a caller's transaction (a test) another connection would not see its rows.
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        if not self.threaded:
            self._generate()
            return
        writer = threading.Thread(target=self._writer, name="scale-writer", daemon=True)
        dropped = self._drop_indexes() if self.wanted >= DROP_INDEXES_FROM else []
        writer.start()
        try:
            self._generate()
        finally:
            self.queue.put(None)
            writer.join()
            if dropped:
                self._restore_indexes(dropped)
        if self.failed:
            raise self.failed[0]

    def _writer(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                if not self.failed:
                    self._store(*item)
        except BaseException as exc:  # handed to the main thread, which raises it
            self.failed.append(exc)
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()

    def _drop_indexes(self) -> list[tuple[str, str]]:
        """A big build on PostgreSQL drops the secondary indexes of the tables it fills (not
        primary keys, unique ones or constraints) and builds each again at the end from its own
        definition, as it was: one sort instead of millions of index inserts."""
        if connection.vendor != "postgresql":
            return []
        tables = [m._meta.db_table for m in [Case, Event, SearchDocument, *self.cloned]]
        with connection.cursor() as c:
            c.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                         JOIN pg_class x ON x.relname = i.indexname
                         JOIN pg_index p ON p.indexrelid = x.oid
                         WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                           AND NOT p.indisunique AND NOT p.indisprimary
                           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.oid)""",
                      [tables])
            dropped = c.fetchall()
            for name, _sql in dropped:
                c.execute(f'DROP INDEX "{name}"')
        self.say(f"  暂时删除 {len(dropped)} 个二级索引，写完后按原定义重建")
        return dropped

    def _restore_indexes(self, dropped: list[tuple[str, str]]) -> None:
        start = time.monotonic()
        with connection.cursor() as c:
            c.execute("SET maintenance_work_mem = '256MB'")
            for name, sql in dropped:
                c.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
                if c.fetchone() is None:
                    c.execute(sql)
        self.say(f"  重建 {len(dropped)} 个索引：{time.monotonic() - start:.1f} 秒")

    def _generate(self) -> None:
        years = list(range(YEARS))
        done = 0
        batch: list[tuple[int, list[Template]]] = []
        size = 0
        last = time.monotonic()
        while done < self.wanted:
            k = self.rng.choice(years)
            tpl = self._round(k)
            tpl = tpl[: self.wanted - done]
            if not tpl:
                continue
            batch.append((k, tpl))
            size += len(tpl)
            done += len(tpl)
            if size >= self.chunk or done >= self.wanted:
                self._write_batch(batch)
                batch, size = [], 0
                if time.monotonic() - last > 20 or done >= self.wanted:
                    self.say(f"  已生成 {done} 件，事件 {self.report.events} 条")
                    last = time.monotonic()

    def _write_batch(self, batch: list[tuple[int, list[Template]]]) -> None:
        tables: dict[str, tuple[list[str], list[tuple]]] = {}
        case_cols = [f.column for f in Case._meta.concrete_fields]
        tables[Case._meta.db_table] = (case_cols, [])
        for m in self.cloned:
            tables[m._meta.db_table] = ([f.column for f in m._meta.concrete_fields], [])
        events: list[dict] = []
        docs: list[tuple] = []
        for k, tpl in batch:
            case_map = {t.case["id"]: self._take(Case._meta.db_table) for t in tpl}
            for t in tpl:
                self._clone(t, k, case_map, tables, events, docs)
        events.sort(key=lambda e: e["at"])  # the chain follows time within a batch
        ev_rows = self._chain(events)
        if not self.threaded:
            self._store(tables, ev_rows, docs, self.seq, self.prev_hash)
            return
        if self.failed:
            raise self.failed[0]
        self.queue.put((tables, ev_rows, docs, self.seq, self.prev_hash))

    def _store(self, tables: dict, ev_rows: list[tuple], docs: list[tuple], seq: int,
               head: str) -> None:
        with transaction.atomic():
            for m in [Case, *self.cloned]:
                cols, rows = tables[m._meta.db_table]
                self.writer.write(m._meta.db_table, cols, rows)
                self.report.rows[m._meta.db_table] += len(rows)
            self.writer.write(Event._meta.db_table, EVENT_COLUMNS, ev_rows)
            self.report.rows[Event._meta.db_table] += len(ev_rows)
            self.writer.write(SearchDocument._meta.db_table, ["case_id", "tokens", "updated_at"], docs)
            self.report.rows[SearchDocument._meta.db_table] += len(docs)
            ChainHead.objects.update_or_create(congress=self.city, defaults={
                "seq": seq, "hash": head})

    def _words(self, text: str | None) -> list[str]:
        if not text:
            return []
        got = self.word_cache.get(text)
        if got is None:
            got = list(dict.fromkeys(words(text)))
            if len(self.word_cache) < 200_000:
                self.word_cache[text] = got
        return got

    def _number(self, t: Template, k: int, session: Session | None, submitted_at, created_at,
                year: int) -> str:
        kind = get_kind(t.case["kind"])
        if t.case["kind"] == "key_task":
            series = f"year-{year}"
        elif t.case["kind"] == "problem":  # numbered by the year it was listed (supervision.workflow)
            series = f"year-{timezone.localtime(submitted_at or created_at).year}"
        elif session is not None:
            series = f"session-{session.pk}"
        else:
            series = f"interim-{(submitted_at or created_at).year}"
        n = self.counters.get((t.case["kind"], series), 0) + 1
        self.counters[(t.case["kind"], series)] = n
        stub = SimpleNamespace(session=session, session_id=session.pk if session else None,
                               submitted_at=submitted_at, created_at=created_at,
                               key_task_detail=SimpleNamespace(year=year))
        return kind.format_number(stub, n) if kind.format_number else f"{series}-{n:04d}"

    def _clone(self, t: Template, k: int, case_map: dict[int, int], tables: dict,
               events: list[dict], docs: list[tuple]) -> None:
        rng = self.rng
        shift = -WEEK * 52 * k  # k years back
        jitter = dt.timedelta(seconds=rng.randrange(0, 6 * 3600))
        c = dict(t.case)
        new_id = case_map[c["id"]]
        is_sugg = c["kind"] == "suggestion"
        msg = rng.choice(self.answered_msgs if t.answered else self.plain_msgs) if is_sugg else None
        strings: dict[str, str] = {}
        # people: the lead deputy, co-signers, the units and their staff
        dep_map: dict[int, int] = {}
        pool = self.frequent if rng.random() < 0.5 else self.deputies
        if c["lead_deputy_id"]:
            dep_map[c["lead_deputy_id"]] = rng.choice(pool)[0]
        for r in t.rows.get(Cosign, []):
            if r["deputy_id"] not in dep_map:
                dep_map[r["deputy_id"]] = rng.choice(self.deputies)[0]
        if len(set(dep_map.values())) < len(dep_map):  # a deputy co-signs once
            used: set[int] = set()
            for old in dep_map:
                while dep_map[old] in used:
                    dep_map[old] = rng.choice(self.deputies)[0]
                used.add(dep_map[old])
        unit_map: dict[int, int] = {}
        assignments = t.rows.get(Assignment, [])
        for r in sorted(assignments, key=lambda r: r["role"] != "lead"):
            if r["unit_id"] in unit_map:
                continue
            if msg and r["role"] == "lead" and msg[3] not in unit_map.values():
                unit_map[r["unit_id"]] = msg[3]
            elif msg and msg[4] and msg[4] not in unit_map.values() and rng.random() < 0.7:
                unit_map[r["unit_id"]] = msg[4]
            else:
                choices = [u.pk for u in self.units if u.pk not in unit_map.values()]
                unit_map[r["unit_id"]] = rng.choice(choices)
        user_map: dict[int, int] = {}
        for old_dep, new_dep in dep_map.items():
            if self.dep_user.get(old_dep) and self.dep_user.get(new_dep):
                user_map[self.dep_user[old_dep]] = self.dep_user[new_dep]
            strings[self.dep_name[old_dep]] = self.dep_name[new_dep]
        for old_u, new_u in unit_map.items():
            strings[self.unit_names.get(old_u, "")] = self.unit_names[new_u]
        strings.pop("", None)

        def user(uid: int | None) -> int | None:
            if uid is None:
                return None
            if uid in user_map:
                return user_map[uid]
            ur = self.user_unit_role.get(uid)
            if ur and ur[0] in unit_map:
                return self.unit_user.get((unit_map[ur[0]], ur[1]), uid)
            return uid

        def when(v):
            if v is None:
                return None
            return v + shift + jitter if isinstance(v, dt.datetime) else v + shift

        session = None
        if c["session_id"]:
            old_year = self.session_year.get(c["session_id"])
            session = self.sessions.get(old_year - k) if old_year else None
        year = (when(c["created_at"])).year
        # the case row
        old_title = c["title"]
        c["id"] = new_id
        c["session_id"] = session.pk if session else None
        for f in ("created_at", "submitted_at", "registered_at", "closed_at", "updated_at"):
            c[f] = when(c[f])
        c["submitter_id"] = user(c["submitter_id"])
        c["lead_deputy_id"] = dep_map.get(c["lead_deputy_id"]) if c["lead_deputy_id"] else None
        c["merged_into_id"] = case_map.get(c["merged_into_id"]) if c["merged_into_id"] else None
        c["converted_to_id"] = case_map.get(c["converted_to_id"]) if c["converted_to_id"] else None
        c["source_ref"] = ""
        if msg:
            c["title"], c["body"] = msg[0][:200], msg[1]
            if c["category"]:
                strings[c["category"]] = msg[2]
                c["category"] = msg[2]
            strings[old_title] = c["title"]
        kt_year = year
        for r in t.rows.values():
            for row in r:
                if "year" in row and isinstance(row["year"], int):
                    kt_year = row["year"] - k
        if c["number"]:
            new_number = self._number(t, k, session, c["submitted_at"], c["created_at"], kt_year)
            strings[c["number"]] = new_number
            c["number"] = new_number
        subj_old, subj_new = t.subject, (msg[6] if msg else "")

        def text(v):
            if not isinstance(v, str) or not v:
                return v
            if v in strings:
                return strings[v]
            if subj_old and subj_new and subj_old in v:
                return v.replace(subj_old, subj_new)
            return v

        cols = tables[Case._meta.db_table]
        cols[1].append(tuple(self._out(c[f.attname], f) for f in Case._meta.concrete_fields))
        self.report.cases += 1
        self.report.by_state[(t.case["kind"], t.case["state"])] += 1
        self.report.years[year] += 1
        # the rows hanging from it: new ids first, so rows can point at each other
        maps: dict[type, dict[int, int]] = {}
        for m in self.cloned:
            if m in t.rows:
                table = m._meta.db_table
                maps[m] = {r[m._meta.pk.attname]: self._take(table) for r in t.rows[m]}
        new_rows: dict[type, list[dict]] = {}
        for m in self.cloned:
            if m not in t.rows:
                continue
            out = []
            for r in t.rows[m]:
                n = dict(r)
                for f in m._meta.concrete_fields:
                    a = f.attname
                    v = n[a]
                    if f.primary_key:
                        n[a] = maps[m][v]
                    elif f.is_relation:
                        rel = f.related_model
                        if v is None:
                            continue
                        if rel is Case:
                            n[a] = case_map.get(v, new_id)
                        elif rel in maps:
                            n[a] = maps[rel].get(v)
                        elif rel is Organization:
                            n[a] = unit_map.get(v, v)
                        elif rel is Deputy:
                            n[a] = dep_map.get(v, v)
                        elif rel is User or (isinstance(rel, type) and issubclass(rel, User)):
                            n[a] = user(v)
                        elif rel is Session:
                            n[a] = session.pk if session else None
                    elif isinstance(f, (models.DateField, models.DateTimeField)):
                        n[a] = when(v)
                    elif a == "year" and isinstance(v, int):
                        n[a] = v - k
                    elif isinstance(f, (models.CharField, models.TextField)):
                        n[a] = text(v)
                if m is Reply and msg and msg[5]:
                    n["text"] = msg[5]
                out.append(n)
                js = self.json_fields[m]  # the row dict keeps the columns' order
                tables[m._meta.db_table][1].append(
                    tuple(_dumps(v) if a in js else v for a, v in n.items()) if js else tuple(n.values()))
            new_rows[m] = out
        # events
        reply_map = maps.get(Reply, {})

        def payload(v, key: str = ""):
            if isinstance(v, dict):
                return {kk: payload(vv, kk) for kk, vv in v.items()}
            if isinstance(v, list):
                return [payload(x, key) for x in v]
            if key == "reply_id" and isinstance(v, int):
                return reply_map.get(v, v)
            if isinstance(v, str):
                if len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
                    try:
                        return (dt.date.fromisoformat(v) + shift).isoformat()
                    except ValueError:
                        return v
                return text(v)
            return v

        for e in t.events:
            actor = user(e["actor_id"])
            events.append({"case_id": new_id, "actor_id": actor,
                           "actor_label": self.actor_labels.get(actor, "系统") if actor else "系统",
                           "name": e["name"], "label": e["label"], "from_state": e["from_state"],
                           "to_state": e["to_state"], "payload": payload(e["payload"]),
                           "at": e["at"] + shift + jitter})
        # the search document, as lvzhi.search.documents.document_text builds it
        parts = [c["number"], c["title"], c["body"]]
        if c["lead_deputy_id"]:
            parts.append(self.dep_name[c["lead_deputy_id"]])
        parts += [self.dep_name[r["deputy_id"]] for r in new_rows.get(Cosign, [])
                  if r["state"] == CosignState.CONFIRMED]
        parts += [self.unit_names.get(r["unit_id"], "") for r in new_rows.get(Assignment, [])
                  if r["state"] != AssignmentState.WITHDRAWN]
        parts += [r["text"] for r in new_rows.get(Reply, []) if r["state"] == ReplyState.ACCEPTED]
        seen: dict[str, None] = {}
        for p in parts:
            for w in self._words(p):
                seen.setdefault(w, None)
        docs.append((new_id, " ".join(seen), c["updated_at"]))

    def _out(self, v: Any, f: models.Field) -> Any:
        if isinstance(f, models.JSONField):
            return _dumps(v)
        return v

    def _chain(self, events: list[dict]) -> list[tuple]:
        rows = []
        key, city = self.key, self.city.pk
        table = Event._meta.db_table
        for e in events:
            self.seq += 1
            digest = chain._digest_v3(key, self.prev_hash, self.seq, city, chain.CASE, e["case_id"],
                                      e["actor_id"], e["actor_label"], e["name"], e["label"],
                                      e["from_state"], e["to_state"], e["payload"], e["at"])
            rows.append((self._take(table), city, self.seq, chain.CASE, e["case_id"], e["case_id"],
                         chain.DIGEST_VERSION, e["actor_id"], e["actor_label"], e["name"], e["label"],
                         e["from_state"], e["to_state"], _dumps(e["payload"]), e["at"],
                         self.prev_hash, digest))
            self.prev_hash = digest
        self.report.events += len(rows)
        return rows

    # ------------------------------------------------------------------ the end

    def _finish(self) -> None:
        with transaction.atomic():
            for (kind, series), last in self.counters.items():
                CaseNumberCounter.objects.update_or_create(
                    congress=self.city, kind=kind, series=series, defaults={"last": last})
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                for m in [Case, Event, *self.cloned]:
                    t, col = m._meta.db_table, m._meta.pk.column
                    c.execute("SELECT pg_get_serial_sequence(%s, %s)", [t, col])
                    seq = c.fetchone()[0]
                    if seq:
                        c.execute(f'SELECT setval(%s, (SELECT COALESCE(MAX("{col}"), 1) FROM "{t}"))', [seq])
        with connection.cursor() as c:
            c.execute("ANALYZE")


EVENT_COLUMNS = ["id", "congress_id", "seq", "subject_type", "subject_id", "case_id",
                 "digest_version", "actor_id", "actor_label", "name", "label", "from_state",
                 "to_state", "payload", "at", "prev_hash", "hash"]


def states_of(report: ScaleReport) -> Iterable[tuple[str, str, int]]:
    for (kind, state), n in sorted(report.by_state.items()):
        yield kind, state, n
