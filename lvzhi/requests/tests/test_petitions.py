"""信访代办 and 诉前调解: a deputy records his own (the 代表工委 for any deputy), closes them with the
outcome; bad input is refused in Chinese; the figures and the 履职档案 count them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.deputies import performance
from lvzhi.reports.registry import get_group
from lvzhi.requests.petition_models import Mediation, Petition

pytestmark = pytest.mark.django_db


def counts(world):
    year = timezone.localdate().year
    return {f.code: f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31)).count()
            for f in get_group("petitions_mediation").figures}


def test_a_deputy_takes_on_a_petition_and_closes_it(client, world):
    d0 = world.deputies[0]
    client.force_login(d0.user)
    today = timezone.localdate().isoformat()
    data = {"petitioner": "张某某", "contact": "13600001234", "matter": "反映拆迁补偿款长期未到位的问题",
            "agency": "城东区信访局", "taken_on": today}
    res = client.post(reverse("requests:petitions"), {**data, "contact": "123"})
    assert res.status_code == 400 and "正确的手机号" in res.content.decode() and not Petition.objects.exists()
    assert client.post(reverse("requests:petitions"), data).status_code == 302
    p = Petition.objects.get()
    assert p.deputy == d0 and "13600001234" not in p.contact_encrypted
    page = client.get(reverse("requests:petitions")).content.decode()
    assert "136****1234" in page and "13600001234" not in page
    client.post(reverse("requests:petition_close", args=[p.pk]),
                {"outcome": "resolved", "outcome_text": "补偿款已于本月发放到位", "closed_on": today})
    p.refresh_from_db()
    assert p.outcome == "resolved"
    client.force_login(world.deputies[1].user)  # another deputy neither sees nor closes it
    assert client.post(reverse("requests:petition_close", args=[p.pk]),
                       {"outcome": "concluded", "outcome_text": "依法终结", "closed_on": today}).status_code == 404
    assert counts(world)["petitions_resolved"] == 1


def test_mediations_by_the_office_and_the_record(client, world):
    client.force_login(world.clerk)
    today = timezone.localdate()
    base = {"deputy": world.deputies[2].pk, "court": "北辰市城东区人民法院", "dispute": "物业服务合同纠纷",
            "summary": "业主与物业公司就物业费发生争议", "result": "pending"}
    res = client.post(reverse("requests:mediations"),
                      {**base, "mediated_on": (today + dt.timedelta(days=2)).isoformat()})
    assert res.status_code == 400 and "日期不能晚于今天" in res.content.decode()
    client.post(reverse("requests:mediations"), {**base, "mediated_on": today.isoformat()})
    client.post(reverse("requests:mediations"), {**base, "mediated_on": today.isoformat(), "result": "succeeded",
                                                 "result_text": "达成调解协议"})
    m = Mediation.objects.filter(result="pending").get()
    client.post(reverse("requests:mediation_settle", args=[m.pk]), {"result": "failed", "result_text": "转入诉讼"})
    assert counts(world) == {"petitions_taken": 0, "petitions_resolved": 0, "mediations_joined": 2,
                             "mediations_succeeded": 1}
    r = performance.record(world.deputies[2], today.year)
    lines = [e.title for s in r.sections if s.source.code == "mediations" for e in s.entries]
    assert sorted(lines) == ["参与诉前调解（调解不成功）：物业服务合同纠纷",
                             "参与诉前调解（调解成功）：物业服务合同纠纷"]
