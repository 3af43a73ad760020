"""What a clerk, a deputy and a unit read in the small demo: Chinese only (no "https", "PPP",
"hngt" left from the citizens' messages), and an inbox where units have signed for (签收) what
they were given, except the newest (issue 8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from lvzhi.cases.models import (
    Assignment,
    AssignmentState,
    Case,
    Commitment,
    Contact,
    Evaluation,
    Event,
    Reply,
)
from lvzhi.core.models import Congress
from lvzhi.core.workdays import WorkCalendar
from lvzhi.demo.sources import latin_words
from lvzhi.testing_text import english_words

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Event payload entries a person wrote and the timeline shows (reasons, notes, opinions).
WRITTEN = {"reason", "note", "comment", "opinion", "summary", "result", "text", "promises",
           "participants", "review_note", "return_reason"}


@pytest.fixture
def city(settings) -> Congress:
    from lvzhi.demo.builder import SMALL, DemoBuilder

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return DemoBuilder(SMALL).build()


def visible_texts(city: Congress) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of a demo case a user reads on its page or the public page."""
    for case in Case.objects.filter(congress=city):
        yield f"{case.number}标题", case.title
        yield f"{case.number}《{case.title}》正文", case.body
        detail = case.detail
        if detail is not None:  # a kind's own texts (a motion's 案由、依据、方案)
            for f in detail._meta.concrete_fields:
                value = getattr(detail, f.attname)
                # a choice is shown by its label; a field nobody edits holds codes (ciphertext, a receipt code)
                if f.choices or not f.editable:
                    continue
                if f.get_internal_type() in ("TextField", "CharField") and isinstance(value, str):
                    yield f"《{case.title}》{f.verbose_name}", value
    for r in Reply.objects.filter(case__congress=city).select_related("case"):
        for label, value in (("答复", r.text), ("审核意见", r.review_note), ("退回理由", r.return_reason)):
            yield f"《{r.case.title}》{label}", value
    for a in Assignment.objects.filter(case__congress=city).select_related("case"):
        yield f"《{a.case.title}》会办意见", a.opinion
        yield f"《{a.case.title}》申请调整理由", a.reassign_reason
    for c in Contact.objects.filter(assignment__case__congress=city):
        yield "沟通情况", c.summary
        yield "参加人员", c.participants
    for e in Evaluation.objects.filter(case__congress=city):
        yield "评价意见", e.comment
    for c in Commitment.objects.filter(case__congress=city):
        yield "承诺事项", c.text
        yield "落实情况", c.kept_note
    for e in Event.objects.filter(congress=city).exclude(payload=None):
        for key, value in (e.payload or {}).items():
            if key in WRITTEN and isinstance(value, str):
                yield f"事件“{e.label}”{key}", value


def test_every_demo_text_a_user_reads_is_chinese(city) -> None:
    found = []
    for where, text in visible_texts(city):
        # The role-day checker (three letters and more, outside its allowlist) and the demo's own
        # stricter rule (two letters: "km", "ic", "QQ" are no Chinese either).
        words = english_words(text or "") + latin_words(text or "")
        if words:
            found.append(f"{where}：{sorted(set(words))}")
    assert not found, "\n".join(found[:20])
    # The real data does hold such words, so the check above is not vacuous.
    assert latin_words("详见https://baidu.com/，按ppp模式建设") == ["https", "baidu", "com", "ppp"]


def test_units_sign_for_their_assignments_within_days_except_the_newest(city) -> None:
    cal = WorkCalendar.for_congress(city.pk)
    today = timezone.localdate()
    open_ = Assignment.objects.filter(case__congress=city, case__kind="suggestion",
                                      state=AssignmentState.HANDLING, case__state="handling")
    signed = [a for a in open_ if a.received_at is not None]
    waiting = [a for a in open_ if a.received_at is None]
    assert signed and waiting
    assert len(signed) > 2 * len(waiting), (len(signed), len(waiting))
    for a in signed:  # the same working day or within two, through the engine's 签收 event
        received = timezone.localtime(a.received_at).date()
        # A unit that asked to move the case first signs once the clerk has kept it there.
        kept = a.case.events.filter(name="decide_reassignment").order_by("-at").first()
        since = max(a.assigned_on, timezone.localtime(kept.at).date()) if kept else a.assigned_on
        assert a.assigned_on <= received <= cal.add_workdays(since, 2), (a, since, received)
        assert a.received_by is not None and a.received_by.organization_id == a.unit_id
        assert Event.objects.filter(case=a.case, name="acknowledge").exists()
    # Still 待签收: what arrived in the last days, or what the unit asked to have moved.
    recent = today - dt.timedelta(days=7)
    for a in waiting:
        assert a.assigned_on >= recent or a.reassign_reason, (a, a.assigned_on)
    # The demo handler's unit has one waiting, so its 待签收 list is not empty.
    assert any(a.unit.name == "市住房和城乡建设局" for a in waiting)
    # Closed cases were signed for on the way, too.
    closed = Assignment.objects.filter(case__congress=city, case__kind="suggestion", case__state="closed",
                                       role__in=["lead", "split"])
    assert closed.exists() and not closed.filter(received_at__isnull=True).exists()


def test_latin_words_keep_the_platforms_proper_nouns() -> None:
    assert latin_words("请下载Excel模板，或导出PDF、Word") == []
    assert latin_words("A栋3单元，编号C1") == []  # one letter: a building or a code, not a word
    assert latin_words("按PPP模式建设，占地5km") == ["PPP", "km"]
