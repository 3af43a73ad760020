"""Small layout promises of the shared case list and the help page (found on screenshots)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_empty_list_message_spans_every_column(world, client):
    client.force_login(world.clerk)
    page = client.get(reverse("cases:list"), {"q": "没有这样的建议标题词"}).content.decode()
    header = page.split("<thead", 1)[1].split("</thead>", 1)[0]
    columns = header.count("<th")
    cell = re.search(r'<td colspan="(\d+)"[^>]*>暂无案件', page)
    assert cell and int(cell.group(1)) == columns


def test_help_gives_each_basis_its_own_row_on_a_phone(world, client):
    client.force_login(world.clerk)
    page = client.get(reverse("help")).content.decode()
    assert 'class="d-md-none"><td colspan="3"' in page
    assert "依据：" in page
