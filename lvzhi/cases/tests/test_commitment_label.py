"""The 报告承诺落实 form names each promise by its date and text, not "Commitment object (1)"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvzhi.cases.models import Commitment
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def test_keep_commitment_form_lists_the_promise_in_chinese(world, client):
    case = to_state(world, draft(world), "replied")
    promise = Commitment.objects.get(case=case)
    client.force_login(world.handler_of(promise.unit))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "报告承诺落实" in page
    assert f"{promise.due_on:%Y-%m-%d} {promise.text}" in page
    assert "Commitment object" not in page
