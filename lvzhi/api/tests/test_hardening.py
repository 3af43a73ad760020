"""Input that used to end in a 500, and personal data that must never leave through the API.

Integers beyond 64 bits: SQLite cannot bind them (OverflowError), and Django guards only plain
`pk=` lookups, so a foreign-key filter or a multiple choice (`pk__in`) crashed. The API answers
400 with a Chinese message; the pages ignore such a filter and say so (CaseFilters.ignored).
"""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from lvzhi.api.tests.helpers import CASES_URL, case_url, client_for, draft_payload, transition_url
from lvzhi.cases.filters import CaseFilters
from lvzhi.cases.workflow import ID_MAX, fits_id
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

HUGE = "1002646389557001584640"  # the value schemathesis found
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PERSONAL_KEY = re.compile(r'"(phone|id_number)[a-z_]*"\s*:')  # a JSON key (a schema property too)


def refused(response, field: str | None = None) -> dict:
    assert response.status_code == 400, (response.status_code, response.content.decode())
    body = response.json()
    assert CHINESE.search(body["detail"]), body
    if field is not None:
        assert field in body["errors"], body
    return body


def test_fits_id():
    assert fits_id(1) and fits_id(ID_MAX) and fits_id(str(ID_MAX)) and fits_id(-(2**63))
    assert not fits_id(ID_MAX + 1) and not fits_id(HUGE) and not fits_id(f" {HUGE} ")
    assert not fits_id(-(2**63) - 1) and not fits_id(1e30) and not fits_id(float("inf"))
    # Anything that is no integer is the field's to judge (it answers invalid_choice itself).
    assert fits_id("abc") and fits_id("²") and fits_id(None) and fits_id([1]) and fits_id(True)


# ------------------------------------------------------------------------------- the API

@pytest.mark.parametrize("value", [HUGE, str(ID_MAX + 1), "²", "abc", "0", "-3"])
def test_case_list_unit_filter_beyond_range_is_400(world, value):
    r = client_for(world.clerk).get(CASES_URL, {"unit": value})
    refused(r, "unit")


def test_case_list_unit_filter_at_the_limit_is_fine(world):
    r = client_for(world.clerk).get(CASES_URL, {"unit": str(ID_MAX)})
    assert r.status_code == 200 and r.json()["count"] == 0


@pytest.mark.parametrize("param", ["page", "page_size"])
@pytest.mark.parametrize("value", [HUGE, "0", "-1", "²", "abc"])
def test_pagination_parameters_must_be_positive_integers(world, param, value):
    for url in (CASES_URL, "/api/v1/deputies/"):
        body = refused(client_for(world.clerk).get(url, {param: value}), param)
        assert "正整数" in body["errors"][param][0]


def test_page_past_the_last_is_404_and_page_size_is_capped(world):
    clerk = client_for(world.clerk)
    assert clerk.get("/api/v1/deputies/", {"page": "99"}).status_code == 404
    # A page number that fits 64 bits but whose offset does not (page × page size) is past the last too.
    assert clerk.get(CASES_URL, {"page": "9037707409985103967"}).status_code == 404
    r = clerk.get("/api/v1/deputies/", {"page_size": "100000"})
    assert r.status_code == 200 and len(r.json()["results"]) == len(world.deputies)


@pytest.mark.parametrize("value", [int(HUGE), HUGE, -(2**63) - 1])
def test_cosigner_id_beyond_range_when_opening_is_400(world, value):
    r = client_for(world.deputy_user).post(CASES_URL, draft_payload([value]), format="json")
    body = refused(r, "cosigners")
    assert "所选邀请附议代表中有一项不存在或已不可选" in body["errors"]["cosigners"][0]


def test_cosigner_id_beyond_range_in_a_form_encoded_transition_is_400(world):
    case = draft(world)
    data = draft_payload([HUGE])
    data.pop("kind")
    r = client_for(world.deputy_user).post(transition_url(case.pk, "edit"), data)  # multipart
    refused(r, "cosigners")


def test_unit_ids_beyond_range_when_assigning_are_400(world):
    case = to_state(world, draft(world), "registered")
    clerk = client_for(world.clerk)
    r = clerk.post(transition_url(case.pk, "assign"),
                   {"mode": "split", "split": [world.units[0].pk, int(HUGE)]}, format="json")
    refused(r, "split")
    r = clerk.post(transition_url(case.pk, "assign"), {"mode": "lead", "lead": HUGE}, format="json")
    refused(r, "lead")


def test_unknown_field_is_400_naming_it(world):
    case = draft(world)
    r = client_for(world.deputy_user).post(transition_url(case.pk, "withdraw"),
                                           {"reason": "不再需要此建议", "reasno": "x"}, format="json")
    body = refused(r, "reasno")
    assert "reason" in body["detail"]
    r = client_for(world.deputy_user).post(CASES_URL, draft_payload(titel="笔误的字段"), format="json")
    refused(r, "titel")


@pytest.mark.parametrize("value", [{"a": 1}, ["不再需要", "此建议"]])
def test_a_value_of_the_wrong_shape_is_400(world, value):
    case = draft(world)
    r = client_for(world.deputy_user).post(transition_url(case.pk, "withdraw"), {"reason": value},
                                           format="json")
    refused(r, "reason")


def test_a_single_id_for_a_multiple_choice_is_400(world):
    r = client_for(world.deputy_user).post(CASES_URL, draft_payload(cosigners=world.deputies[1].pk),
                                           format="json")
    refused(r, "cosigners")


@pytest.mark.parametrize(("url", "param"), [(CASES_URL, "q"), (CASES_URL, "category"), (CASES_URL, "kind"),
                                            ("/api/v1/deputies/", "q")])
def test_a_nul_character_in_a_text_filter_is_400(world, url, param):
    """PostgreSQL cannot compare a text holding NUL: found by the fuzz test as a 500 there.
    RefuseNulMiddleware answers first; the filter serializers refuse it on their own too."""
    refused(client_for(world.clerk).get(url, {param: "代表\x00"}))
    from lvzhi.api.serializers import CaseFilterSerializer, DeputyFilterSerializer

    serializer = DeputyFilterSerializer if "deputies" in url else CaseFilterSerializer
    f = serializer(data={param: "代表\x00"})
    assert not f.is_valid() and "空字符" in f.errors[param][0]


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_an_unknown_api_address_is_a_json_404_for_every_method(world, method):
    """Found by the fuzz test: POST /api/v1/cases/null,null/transitions/x/ got the CSRF
    middleware's HTML 403, since the catch-all was the one API view not exempt from it."""
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)  # as a real client: no test-client exemption
    r = getattr(client, method)("/api/v1/cases/null,null/transitions/assign/", {}, format="json")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    assert CHINESE.search(r.json()["detail"])


def test_case_detail_beyond_range_is_404(world):
    r = client_for(world.clerk).get(case_url(int(HUGE)))
    assert r.status_code == 404


# ----------------------------------------------------------------------------- the pages

@pytest.mark.parametrize("param", ["unit", "session"])
@pytest.mark.parametrize("value", [HUGE, "²", "abc"])
def test_case_list_page_ignores_an_impossible_id_and_says_so(world, client, param, value):
    f = CaseFilters.from_querydict(QueryDict(f"{param}={value}"))
    assert f.unit is None and f.session is None
    assert len(f.ignored) == 1 and "已忽略" in f.ignored[0]
    client.force_login(world.clerk)
    assert client.get("/cases/", {param: value}).status_code == 200


@pytest.mark.parametrize("param", ["q", "kind", "state", "category"])
def test_case_list_filters_ignore_a_nul_character_and_say_so(world, client, param):
    f = CaseFilters.from_querydict(QueryDict(f"{param}=a%00b"))
    assert (f.q, f.kind, f.states, f.category) == ("", "", [], "")
    assert len(f.ignored) == 1 and "无效字符" in f.ignored[0]
    client.force_login(world.clerk)  # over HTTP, RefuseNulMiddleware refuses it before the view
    assert client.get("/cases/", {param: "a\x00b"}).status_code == 400


def test_case_list_page_filters_keep_working(world):
    f = CaseFilters.from_querydict(QueryDict(f"unit={world.units[0].pk}&session=&state=handling"))
    assert f.unit == world.units[0].pk and f.session is None and f.states == ["handling"]
    assert f.ignored == []


# ------------------------------------------------------------------- no personal data out

def test_no_phone_or_id_number_leaves_through_the_api(world):
    """The deputy list shows what the published roster shows (name, delegation) and nothing the
    SM4 columns hold; neither does any other answer a deputy or the clerk gets."""
    secrets_ = []
    for i, d in enumerate(world.deputies):
        d.id_number = f"11010119900101{i:04d}"
        d.save()
        secrets_ += [d.phone, d.id_number, d.phone_masked, d.id_number_masked,
                     d.phone_encrypted, d.id_number_encrypted]
    case = to_state(world, draft(world), "handling")
    for user in (world.clerk, world.deputy_user, world.handlers[0]):
        client = client_for(user)
        deputies = client.get("/api/v1/deputies/").json()["results"]
        assert deputies and all(set(d) == {"id", "name", "delegation"} for d in deputies)
        answers = [client.get(url).content.decode() for url in (
            "/api/v1/deputies/", "/api/v1/deputies/?page_size=200", "/api/v1/me/", "/api/v1/kinds/",
            CASES_URL, case_url(case.pk), "/api/schema/?format=json")]
        for text in answers:
            for s in secrets_:
                assert s not in text
            assert not PERSONAL_KEY.search(text)


def test_schema_holds_no_data(world):
    """The schema is readable without logging in, on purpose (docs/security.md): it is the
    interface, built from code only, never from the database."""
    from rest_framework.test import APIClient

    text = APIClient().get("/api/schema/").content.decode()
    names = [u.name for u in world.units] + [d.name for d in world.deputies[:3]] + [world.clerk.username]
    assert not [n for n in names if n in text]
