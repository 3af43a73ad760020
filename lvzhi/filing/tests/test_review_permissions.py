"""Who sees and does what: a filer sees only its own body's filings; a committee those
distributed to it; the 法工委 and leaders all; others none. The pages follow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import NotAllowed
from lvzhi.filing import states
from lvzhi.filing.choices import DocKind
from lvzhi.filing.testing import make_filing
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw


def test_visibility(fw):
    gov = make_filing(fw.world, state=states.HANDLING)
    court = make_filing(fw.world, state=states.FILED, doc_kind=DocKind.JUDICIAL_NORMATIVE)

    def sees(user):
        return set(visible_cases(user).filter(kind="filing").values_list("pk", flat=True))

    assert sees(fw.law_clerk) == sees(fw.world.leader) == {gov.pk, court.pk}
    assert sees(fw.govfiler) == sees(fw.govhead) == {gov.pk}
    assert sees(fw.courtfiler) == {court.pk}
    assert sees(fw.committee_staff[0]) == {gov.pk}  # distributed to the first committee only
    assert sees(fw.committee_staff[1]) == set()
    for other in (fw.world.handlers[0], fw.world.deputy_user, fw.world.clerk, fw.world.other_congress_clerk):
        assert sees(other) == set()


def test_filer_cannot_act_for_the_office_and_others_cannot_answer(fw):
    case = make_filing(fw.world, state=states.FILED)
    with pytest.raises(NotAllowed):
        fire(case, "register", fw.govfiler)
    with pytest.raises(NotAllowed):
        fire(case, "register", fw.world.clerk)  # the 代表工委, not the 法工委
    case = make_filing(fw.world, state=states.COMMUNICATING)
    with pytest.raises(NotAllowed):
        fire(case, "disagree", fw.courtfiler, {"reason": "不同意修改该条款"})


def test_pages(fw, client):
    case = make_filing(fw.world, state=states.HANDLING, late=True)
    client.force_login(fw.law_clerk)
    page = client.get(reverse("filing:review_queue")).content.decode()
    assert case.title in page and "逾期报送" in page and "审查中" in page
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.filing_detail.doc_number in detail and "记录审查发现" in detail
    client.force_login(fw.govfiler)
    assert client.get(reverse("filing:review_queue")).status_code == 403
    mine = client.get(reverse("filing:mine")).content.decode()
    assert case.title in mine and "报送新文件" in mine
    assert client.get(reverse("filing:receipt", args=[case.pk])).status_code == 200
    client.force_login(fw.courtfiler)
    assert client.get(reverse("filing:receipt", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    client.force_login(fw.world.handlers[0])
    assert client.get(reverse("filing:mine")).status_code == 403


def test_nav_and_todos(fw, client):
    make_filing(fw.world, state=states.SUPPLEMENTING)
    client.force_login(fw.govfiler)
    home = client.get(reverse("cases:todo")).content.decode()
    assert "报送备案" in home and "待补充备案材料" in home
    client.force_login(fw.law_clerk)
    make_filing(fw.world, state=states.FILED)
    home = client.get(reverse("cases:todo")).content.decode()
    assert "备案审查" in home and "待形式审查" in home
