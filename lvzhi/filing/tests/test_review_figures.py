"""The figures reconcile with the records: on time + late = received − returned; the kinds sum
to received; problems, criteria, corrected and revoked each count their own filings."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.kinds import get_kind
from lvzhi.filing import states
from lvzhi.filing.choices import DocKind
from lvzhi.filing.testing import make_filing

pytestmark = pytest.mark.django_db


def figures(world) -> dict[str, int]:
    year = dt.date.today().year
    span = ([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    return {f.code: f.cases(*span).count() for f in get_kind("filing").figures}


def test_figures_reconcile(world):
    today = dt.date.today()
    if today.month == 1 and today.day < 20:
        pytest.skip("the late filings would be published in the previous year")
    made = [make_filing(world, state=states.TERMINATED),
            make_filing(world, state=states.TERMINATED, late=True),
            make_filing(world, state=states.RETURNED),
            make_filing(world, state=states.REVOKED, late=True),
            make_filing(world, state=states.CORRECTION_ORDERED),
            make_filing(world, state=states.HANDLING, doc_kind=DocKind.JUDICIAL_NORMATIVE),
            make_filing(world, state=states.FILED, doc_kind=DocKind.DISTRICT_RESOLUTION)]
    n = figures(world)
    assert n["filing_received"] == len(made) == sum(n[f"filing_{k.value}"] for k in DocKind)
    assert n["filing_on_time"] + n["filing_late"] == n["filing_received"] - n["filing_returned"]
    assert (n["filing_late"], n["filing_returned"]) == (2, 1)
    assert n["filing_reviewed"] == 5  # registered: all but the returned one and the one just filed
    assert n["filing_problem"] == n["filing_criterion_upper_law"] == 2
    assert n["filing_revoked"] == 1 and n["filing_corrected"] == 0
    assert n["filing_judicial_normative"] == 1 and n["filing_district_resolution"] == 1
