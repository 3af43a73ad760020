"""The rule run after each import: findings open warnings through the engine (never a second
open one for the same cause) and lift the open ones whose cause went away, with an event.

The cause of a warning is (rule, key); an open warning holds it in WarningDetail.open_key, which
the database keeps unique per congress, so two runs at once cannot both open it: the loser's
opening is rolled back to its savepoint (IntegrityError) and counted as kept. Kept warnings get
the latest figures in one bulk update; openings and lifts go through the engine, in batches of
BATCH per transaction (one commit per batch, not per warning)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.budget import rules
from lvzhi.budget.models import BudgetImport, BudgetUnit, WarningDetail
from lvzhi.budget.permissions import OFFICE, is_budget_office
from lvzhi.budget.states import OPEN_STATES
from lvzhi.budget.warnings import lift, open_warning
from lvzhi.budget.workflow import open_key
from lvzhi.cases.engine import in_transaction
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.core.models import Congress, Notification, Role, User

BATCH = 500
UPDATE_BATCH = 100  # bulk_update's CASE grows with the batch: small batches are faster
UPDATED = ("measured", "threshold", "evidence", "month")


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    raised: int
    kept: int
    lifted: int


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def run(congress: Congress, year: int, *, by: User | None = None) -> RunResult:
    today = timezone.localdate()
    # Every open warning of the congress (open_key is unique per congress, whatever the year), read
    # before the rules: whatever another run opens or a user closes meanwhile, the database decides.
    holding = {d.open_key: d for d in WarningDetail.objects.filter(congress=congress, open_key__isnull=False)
               .select_related("case").only("id", "open_key", "rule", "year", "measured", "threshold", "evidence",
                                            "month", "case__id", "case__state", "case__title")}
    findings: dict[str, rules.Finding] = {}
    for f in rules.evaluate(congress, year, today=today):
        findings.setdefault(open_key(f.year, f.rule, f.key), f)  # a rule naming one cause twice: one warning
    kept = [d for k, d in holding.items() if k in findings]
    changed, retitled = [], []
    for d in kept:
        f = findings[d.open_key]
        new = {"measured": f.measured, "threshold": f.threshold, "evidence": f.evidence or {}, "month": f.month or 0}
        if any(getattr(d, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(d, k, v)
            changed.append(d)
        if d.case.title != f.title:  # the title states the figure ("低于序时进度17.4个百分点"): keep it true
            d.case.title = f.title
            retitled.append(d.case)
    with transaction.atomic():  # the figures and the titles that state them, together
        if changed:
            WarningDetail.objects.bulk_update(changed, UPDATED, batch_size=UPDATE_BATCH)
        if retitled:
            Case.objects.bulk_update(retitled, ["title"], batch_size=UPDATE_BATCH)

    actor = by if by is not None and is_budget_office(by) else None  # else the system opens them
    units = {u.code: u for u in BudgetUnit.objects.filter(congress=congress)}
    new = [f for k, f in findings.items() if k not in holding]
    raced = 0
    for chunk in _chunks(new, BATCH):
        def open_batch(chunk=chunk) -> int:
            lost = 0
            for f in chunk:
                try:
                    with transaction.atomic():
                        open_warning(congress, f, by=actor, unit=units.get(f.unit_code or ""), quiet=True)
                except IntegrityError:  # a concurrent run opened the same cause first
                    lost += 1
                except InvalidInput as exc:  # one finding the form refuses must not stop the others
                    log.warning("budget finding %s|%s not opened: %s", f.rule, f.key, exc)
            return lost
        raced += in_transaction(open_batch)

    # A rule switched off finds nothing, but its cause has not gone away: its warnings stay open.
    off = {code for code, values in rules.settings_for(congress).items() if not values["enabled"]}
    gone = [d for k, d in holding.items() if k not in findings and d.year == year and d.case.state in OPEN_STATES
            and d.rule not in off]
    lifted = 0
    for chunk in _chunks(gone, BATCH):
        def lift_batch(chunk=chunk) -> int:
            done = 0
            for d in chunk:
                try:
                    with transaction.atomic():
                        lift(d.case, f"{today:%Y年%m月%d日}重新运行预警规则，“{d.case.title}”不再触发预警")
                except WrongState:  # closed or dismissed by the 预算工委 meanwhile
                    continue
                done += 1
            return done
        lifted += in_transaction(lift_batch)
    result = RunResult(raised=len(new) - raced, kept=len(kept) + raced, lifted=lifted)
    if result.raised or result.lifted:
        _tell_office(congress, year, result)
    return result


def _tell_office(congress: Congress, year: int, result: RunResult) -> None:
    """One notification per run to the 预算工委, not one per warning."""
    text = f"{year}年预算预警规则运行：新发出{result.raised}件待甄别" + (
        f"，{result.lifted}件因原因消除自动解除" if result.lifted else "")
    users = User.objects.filter(congress=congress, role=Role.CLERK, is_active=True, organization__function=OFFICE)
    Notification.objects.bulk_create([Notification(user_id=uid, text=text)
                                      for uid in users.values_list("pk", flat=True)])


def after_import(imp: BudgetImport) -> RunResult:
    return run(imp.congress, imp.year, by=imp.by)


def rerun(user: User, year: int) -> RunResult:
    """The 预算工委 runs the rules by hand (after changing a threshold, or when an import's run failed)."""
    if not is_budget_office(user):
        raise PermissionError("只有预算工委可以运行预警规则")
    return run(user.congress, year, by=user)


def years_to_watch(congress: Congress, today) -> list[int]:
    """The budget years with a current approved budget, this year and last (last year's final
    accounts, transfers and audit findings still run into this one)."""
    return sorted(set(BudgetImport.objects.current(congress.pk, "budget").filter(year__gte=today.year - 1)
                      .values_list("year", flat=True)))


def sweep(today) -> str:
    """Daily (sweep_deadlines): the date rules move with the calendar — a transfer not passed down,
    a budget not disclosed, an audit finding past its six months — without a new import."""
    raised = lifted = 0
    for congress in Congress.objects.all():
        for year in years_to_watch(congress, today):
            r = run(congress, year)
            raised, lifted = raised + r.raised, lifted + r.lifted
    return f"预算预警规则运行：新发出{raised}件，自动解除{lifted}件"

