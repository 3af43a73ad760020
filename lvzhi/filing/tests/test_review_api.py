"""A filing over the shared API: its own fields in `detail`, its transitions by name, Chinese errors."""

from __future__ import annotations

import pytest

from lvzhi.api.tests.helpers import case_url, client_for, fire
from lvzhi.filing import states
from lvzhi.filing.testing import make_filing
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw


def test_detail_and_a_finding_over_the_api(fw):
    case = make_filing(fw.world, state=states.HANDLING, late=True)
    clerk = client_for(fw.law_clerk)
    body = clerk.get(case_url(case.pk)).json()
    assert body["kind"] == "filing" and body["state"] == states.HANDLING
    assert body["detail"]["doc_number"] == case.filing_detail.doc_number and body["detail"]["late_days"] > 0
    bad = fire(clerk, case.pk, "record_finding", {"criterion": "upper_law", "provision": "第八条", "reason": "短"},
               expect=400)
    assert "上位法" in str(bad)
    fire(clerk, case.pk, "record_finding", {"criterion": "upper_law", "provision": "第八条",
                                            "upper_law": "《行政处罚法》第十六条",
                                            "reason": "行政规范性文件不得设定罚款。"})
    assert clerk.get(case_url(case.pk)).json()["detail"]["findings"][0]["provision"] == "第八条"
    assert client_for(fw.courtfiler).get(case_url(case.pk)).status_code == 404
