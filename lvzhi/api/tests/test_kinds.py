"""A client that knows only /api/v1/kinds/ and the case detail: it learns the kinds, their states
and transitions there, and fills every form from the fields, choices and defaults it is given."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from lvzhi.api.tests.helpers import CASES_URL, case_url, client_for, fire
from lvzhi.cases.kinds import all_kinds
from lvzhi.core.models import Organization
from lvzhi.deputies.models import Deputy
from lvzhi.testing import World

pytestmark = pytest.mark.django_db

KINDS_URL = "/api/v1/kinds/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PROSE = "关于加快推进老旧小区加装电梯工作、简化审批流程并明确财政补贴标准的意见。"


def kinds_of(client: APIClient) -> dict[str, dict[str, Any]]:
    r = client.get(KINDS_URL)
    assert r.status_code == 200, r.content.decode()
    return {k["code"]: k for k in r.json()}


def test_kinds_listing_describes_every_registered_kind(world):
    listed = kinds_of(client_for(world.clerk))
    assert set(listed) == {k.code for k in all_kinds()}
    for kind in all_kinds():
        entry = listed[kind.code]
        assert entry["label"] == kind.label
        assert [(s["code"], s["label"]) for s in entry["states"]] == [(s.code, s.label) for s in kind.states]
        assert {t["name"] for t in entry["transitions"]} == set(kind.workflow.transitions)
        for t in entry["transitions"]:
            assert CHINESE.search(t["label"]), (kind.code, t)
            assert t["actors"] and all(CHINESE.search(a["label"]) for a in t["actors"]), (kind.code, t)
            # Every state a transition leaves from or enters is one the kind lists ("" = opening).
            codes = {s["code"] for s in entry["states"]} | {""}
            assert set(t["sources"]) <= codes and t["target"] in codes | {None}, (kind.code, t)

    suggestion = listed["suggestion"]
    opening = next(t for t in suggestion["transitions"] if t["name"] == "open")
    assert opening["sources"] == [""] and opening["target"] == "draft"
    assert opening["actors"] == [{"relation": "deputy", "label": "人大代表"}]
    # The clerk may not raise one; a deputy may, and is offered the deputies they may invite.
    assert suggestion["may_open"] is False
    as_deputy = kinds_of(client_for(world.deputy_user))["suggestion"]
    assert as_deputy["may_open"] is True
    fields = {f["name"]: f for f in as_deputy["open_fields"]}
    assert "kind" not in fields  # the body's own `kind` names the kind
    assert fields["title"]["required"] and fields["title"]["min_length"] == 5
    assert fields["body"]["min_length"] == 50 and fields["body"]["type"] == "text"
    invitable = {c["value"] for c in fields["cosigners"]["choices"]}
    assert fields["cosigners"]["type"] == "ids"
    assert invitable == {d.pk for d in world.deputies[1:]}  # all the others, not oneself
    assert "城乡建设" in {c["value"] for c in fields["category"]["choices"]}
    assert not kinds_of(client_for(world.handler_of(world.units[0])))["suggestion"]["may_open"]


def test_long_choice_lists_are_cut_and_point_at_the_reference_list(world):
    Deputy.objects.bulk_create([Deputy(congress=world.congress, term=world.term, name=f"补选代表{i}",
                                       gender="female", delegation=world.deputies[0].delegation)
                                for i in range(200)])
    fields = {f["name"]: f for f in kinds_of(client_for(world.deputy_user))["suggestion"]["open_fields"]}
    cosigners = fields["cosigners"]
    assert len(cosigners["choices"]) == 200 and cosigners["choices_truncated"] is True
    assert cosigners["choices_url"] == "/api/v1/deputies/"
    assert "choices_url" not in fields["category"]


# --------------------------------------------------------------------- a generic client

def text_for(field: dict[str, Any]) -> str:
    want = max(field.get("min_length") or 0, 10)
    text = (PROSE * (want // len(PROSE) + 1))[:max(want, len(PROSE))]
    return text[:field["max_length"]] if field.get("max_length") else text


def choose(field: dict[str, Any], label: str | None = None) -> Any:
    """The value of the choice with this label, or of the first one offered."""
    choices = field["choices"]
    assert choices, f"nothing to choose for {field['name']}"
    if label is None:
        return choices[0]["value"]
    return next(c["value"] for c in choices if c["label"] == label)


def fill(fields: list[dict[str, Any]], pick: dict[str, str | None] | None = None) -> dict[str, Any]:
    """What a form-driven client sends: the default where one is given; for required fields
    (and those named in `pick`) a choice from the list, text of the stated length, or a tick."""
    pick = pick or {}
    data: dict[str, Any] = {}
    for f in fields:
        name = f["name"]
        if name in pick:
            value = choose(f, pick[name])
            data[name] = [value] if f["type"] in ("ids", "choices") else value
        elif "default" in f:
            data[name] = f["default"]
        elif not f["required"]:
            continue
        elif "choices" in f:
            data[name] = [choose(f)] if f["type"] in ("ids", "choices") else choose(f)
        elif f["type"] == "boolean":
            data[name] = True
        elif f["type"] == "text":
            data[name] = text_for(f)
        else:
            raise AssertionError(f"the client cannot fill {f}")
    return data


def offered(client: APIClient, pk: int, name: str) -> dict[str, Any]:
    detail = client.get(case_url(pk)).json()
    found = next((t for t in detail["available_transitions"] if t["name"] == name), None)
    assert found is not None, (name, [t["name"] for t in detail["available_transitions"]])
    return found


def act(client: APIClient, pk: int, name: str, **pick: str | None) -> dict[str, Any]:
    t = offered(client, pk, name)
    return fire(client, pk, name, fill(t["fields"], pick), full=True)


def test_a_client_drives_a_suggestion_from_draft_to_closed(world: World):
    deputy = client_for(world.deputy_user)
    kind = kinds_of(deputy)["suggestion"]
    assert kind["may_open"]
    labels = {s["code"]: s["label"] for s in kind["states"]}

    # Open one, inviting the first deputy and the first category offered; the kind's fields
    # nested under "detail".
    data = fill(kind["open_fields"], {"cosigners": None, "category": None})
    r = deputy.post(CASES_URL, {"kind": kind["code"], "detail": data}, format="json")
    assert r.status_code == 201, r.content.decode()
    case = r.json()
    pk = case["id"]
    assert case["state_label"] == labels[case["state"]] and case["kind_label"] == kind["label"]
    [invited] = case["cosigners"]
    assert invited["deputy_id"] == data["cosigners"][0]

    act(deputy, pk, "submit")
    act(client_for(Deputy.objects.get(pk=invited["deputy_id"]).user), pk, "confirm_cosign")

    clerk = client_for(world.clerk)
    register = offered(clerk, pk, "register")
    category = next(f for f in register["fields"] if f["name"] == "category")
    assert category["default"] == data["category"]  # what the deputy chose is the default
    act(clerk, pk, "register")
    body = act(clerk, pk, "assign", lead=None)  # "主办+会办" is the default mode; pick a lead unit
    assert body["state"] == "handling"
    [lead] = body["case"]["assignments"]
    unit = Organization.objects.get(pk=lead["unit"]["id"])

    # The unit's only assignment, its one draft and its one signed reply come as defaults.
    act(client_for(world.handler_of(unit)), pk, "draft_reply")
    act(client_for(world.head_of(unit)), pk, "sign_reply")
    body = act(clerk, pk, "accept_reply")
    assert body["state"] == "replied"

    body = act(deputy, pk, "evaluate", verdict="满意")
    assert body["state"] == "closed" and body["state_label"] == labels["closed"] == "已办结"
    assert [e["verdict"] for e in body["case"]["evaluations"]] == ["satisfied"]
    assert [e["name"] for e in body["case"]["timeline"]][:2] == ["open", "submit"]
