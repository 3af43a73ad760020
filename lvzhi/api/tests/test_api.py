"""The whole suggestion loop over the API, each refusal status, and who sees what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from lvzhi.api.tests.helpers import (
    CASES_URL,
    case_url,
    client_for,
    draft_payload,
    fire,
    transition_url,
)
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Event, Reply
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
REPLY_TEXT = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，"
              "明确每台电梯补贴二十万元，由房屋安全管理处负责推进。")


def names(detail: dict) -> set[str]:
    return {t["name"] for t in detail["available_transitions"]}


def test_whole_loop_over_the_api(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deputy = client_for(world.deputy_user)
    cosigner_ids = [world.deputies[1].pk, world.deputies[2].pk]

    # The deputy writes a draft and submits it.
    r = deputy.post(CASES_URL, draft_payload(cosigner_ids), format="json")
    assert r.status_code == 201, r.content.decode()
    case = r.json()
    pk = case["id"]
    assert case["state"] == "draft" and case["state_label"] == "草稿"
    assert case["lead_deputy"] == world.deputies[0].name
    assert [(c["name"], c["state"]) for c in case["cosigners"]] == [
        (world.deputies[1].name, "invited"), (world.deputies[2].name, "invited")]
    assert {"edit", "submit", "withdraw"} <= names(case)
    submit_fields = next(t for t in case["available_transitions"] if t["name"] == "withdraw")["fields"]
    assert submit_fields[0]["name"] == "reason" and submit_fields[0]["required"]

    body = fire(deputy, pk, "submit")
    assert body["state"] == "submitted" and body["state_label"] == "已提交待审查"

    # The co-signers confirm with their own tokens.
    for d in world.deputies[1:3]:
        fire(client_for(d.user), pk, "confirm_cosign")

    # The clerk registers and assigns a lead and a co-handling unit.
    clerk = client_for(world.clerk)
    body = fire(clerk, pk, "register", {"category": "城乡建设"}, full=True)
    assert body["state"] == "registered"
    # Raised after the session closed: an interim (闭会期间) number.
    assert body["case"]["number"].startswith("闭会期间") and body["case"]["number"].endswith("第0001号")
    assert [c["state"] for c in body["case"]["cosigners"]] == ["confirmed", "confirmed"]
    lead_unit, co_unit = world.units[0], world.units[1]
    body = fire(clerk, pk, "assign", {"mode": "lead", "lead": lead_unit.pk, "co": [co_unit.pk]}, full=True)
    assert body["state"] == "handling"
    assignments = {a["unit"]["name"]: a for a in body["case"]["assignments"]}
    lead = assignments[lead_unit.name]
    assert lead["role"] == "lead" and lead["role_label"] == "主办"
    assert lead["deadline"]["kind"] == "reply" and lead["deadline"]["light"] == "green"
    assert dt.date.fromisoformat(lead["deadline"]["due_on"]) > dt.date.today() + dt.timedelta(days=80)
    assert assignments[co_unit.name]["deadline"]["kind"] == "co_opinion"

    # The lead unit's handler drafts the reply, with the scanned letter, as multipart.
    handler = client_for(world.handler_of(lead_unit))
    detail = handler.get(case_url(pk)).json()
    assert "draft_reply" in names(detail)
    promise = f"{dt.date.today() + dt.timedelta(days=90)} 出台加装电梯补贴实施细则"
    body = fire(handler, pk, "draft_reply", {
        "assignment": lead["id"], "reply_class": "B", "text": REPLY_TEXT, "promises": promise,
        "attachment": SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 test", "application/pdf"),
    }, fmt="multipart", full=True)
    assert body["state"] == "handling"
    [mine] = body["case"]["replies"]
    assert mine["state"] == "draft" and mine["has_attachment"]
    assert Reply.objects.get(pk=mine["id"]).attachment.name.endswith(".pdf")
    # The deputy does not see a draft reply.
    assert deputy.get(case_url(pk)).json()["replies"] == []

    # The head signs (a JSON boolean for the checkbox) and the clerk passes it.
    head = client_for(world.head_of(lead_unit))
    fire(head, pk, "sign_reply", {"reply": mine["id"], "confirm": True})
    body = fire(clerk, pk, "accept_reply", {"reply": mine["id"]})
    assert body["state"] == "replied" and body["state_label"] == "已答复待评价"

    detail = deputy.get(case_url(pk)).json()
    [seen] = detail["replies"]
    assert seen["text"] == REPLY_TEXT and seen["reply_class_label"].startswith("B类")
    assert [c["text"] for c in detail["commitments"]] == ["出台加装电梯补贴实施细则"]
    assert "evaluate" in names(detail)

    # Unsatisfied: a second round of handling.
    body = fire(deputy, pk, "evaluate", {"verdict": "unsatisfied", "comment": "补贴标准没有落实到位"}, full=True)
    assert body["state"] == "handling" and body["case"]["round"] == 2
    lead = next(a for a in body["case"]["assignments"] if a["role"] == "lead")
    assert lead["deadline"]["kind"] == "rehandle"

    body = fire(handler, pk, "draft_reply", {
        "assignment": lead["id"], "reply_class": "A",
        "text": "我局已出台加装电梯补贴实施细则，首批三十台电梯已开工，由房屋安全管理处负责督促。"}, full=True)
    second = next(r for r in body["case"]["replies"] if r["round"] == 2)
    fire(head, pk, "sign_reply", {"reply": second["id"], "confirm": True})
    fire(clerk, pk, "accept_reply", {"reply": second["id"]})
    body = fire(deputy, pk, "evaluate", {"verdict": "satisfied", "comment": "办理认真"}, full=True)
    assert body["state"] == "closed" and body["state_label"] == "已办结"

    detail = body["case"]
    assert [(e["round"], e["verdict"]) for e in detail["evaluations"]] == [
        (1, "unsatisfied"), (2, "satisfied")]
    assert [r["round"] for r in detail["replies"]] == [1, 2]
    timeline = [e["name"] for e in detail["timeline"]]
    assert timeline[:4] == ["open", "submit", "confirm_cosign", "confirm_cosign"]
    assert timeline[-1] == "evaluate" and timeline.count("accept_reply") == 2
    last = detail["timeline"][-1]
    assert (last["from_state"], last["to_state"]) == ("replied", "closed")
    assert last["label"] == "评价答复" and last["actor_label"] == world.deputies[0].name
    assert last["payload"]["verdict"] == "满意"
    assert detail["available_transitions"] == [] or names(detail) <= {"publish", "keep_commitment"}
    assert verify_chain(world.congress.pk) == (True, None)


def state_of(client: APIClient, pk: int) -> str:
    return client.get(case_url(pk)).json()["state"]


def test_refusals_answer_with_status_and_change_nothing(world):
    case = to_state(world, draft(world), "submitted")
    clerk, deputy = client_for(world.clerk), client_for(world.deputy_user)
    events = Event.objects.count()

    # 400: the engine's form rejects the category; a Chinese message and the field's error.
    r = clerk.post(transition_url(case.pk, "register"), {"category": "不存在的类别"}, format="json")
    assert r.status_code == 400
    assert CHINESE.search(r.json()["detail"]) and "category" in r.json()["errors"]
    # 400: a body that is not an object.
    r = clerk.post(transition_url(case.pk, "register"), [1, 2], format="json")
    assert r.status_code == 400 and CHINESE.search(r.json()["detail"])
    # 403: a deputy may not register.
    r = deputy.post(transition_url(case.pk, "register"), {"category": "城乡建设"}, format="json")
    assert r.status_code == 403 and "无权" in r.json()["detail"]
    # 409: assigning before registration.
    r = clerk.post(transition_url(case.pk, "assign"), {"mode": "lead", "lead": world.units[0].pk},
                   format="json")
    assert r.status_code == 409 and "已提交待审查" in r.json()["detail"]
    # 404: an unknown transition, and a case that does not exist.
    r = clerk.post(transition_url(case.pk, "approve_everything"), {}, format="json")
    assert r.status_code == 404 and CHINESE.search(r.json()["detail"])
    assert clerk.get(case_url(case.pk + 1000)).status_code == 404

    assert state_of(clerk, case.pk) == "submitted"
    case.refresh_from_db()
    assert case.number == "" and Event.objects.count() == events

    # 401 without a token.
    r = APIClient().get(case_url(case.pk))
    assert r.status_code == 401 and CHINESE.search(r.json()["detail"])


def test_draft_creation_refusals(world):
    deputy = client_for(world.deputy_user)
    r = deputy.post(CASES_URL, draft_payload(body="太短了"), format="json")
    assert r.status_code == 400
    assert "50" in r.json()["errors"]["body"][0] and CHINESE.search(r.json()["detail"])
    r = deputy.post(CASES_URL, draft_payload(kind="motion"), format="json")
    assert r.status_code == 400 and {"cause", "basis", "plan"} <= set(r.json()["errors"])
    r = client_for(world.clerk).post(CASES_URL, draft_payload(), format="json")
    assert r.status_code == 403 and "人大代表" in r.json()["detail"]
    assert deputy.get(CASES_URL).json()["count"] == 0

    r = deputy.post(CASES_URL, draft_payload(
        kind="motion", cause="老旧小区加装电梯推进缓慢，群众反映强烈",
        basis="全市仍有三千余个老旧小区未加装电梯，审批涉及多个部门",
        plan="制定加装电梯条例，明确补贴标准、审批流程和协商机制", confidential=True), format="json")
    assert r.status_code == 201
    assert r.json()["kind"] == "motion" and r.json()["detail"]["plan"].startswith("制定")
    assert "confidential" not in r.json()["detail"]  # a motion carries only its own fields

    # A form-encoded body works too (repeated keys for the co-signer list).
    r = deputy.post(CASES_URL, draft_payload([world.deputies[3].pk, world.deputies[4].pk],
                                             confidential="on"), format="multipart")
    assert r.status_code == 201, r.content.decode()
    assert len(r.json()["cosigners"]) == 2 and r.json()["detail"] == {"confidential": True}


def test_scope_of_lists_and_details(world):
    case = to_state(world, draft(world), "handling")  # lead units[0], co units[1]
    other = draft(world, deputy_index=5, cosigners=0)  # another deputy's draft

    outsider = client_for(world.handler_of(world.units[2]))
    assert outsider.get(case_url(case.pk)).status_code == 404
    assert outsider.get(CASES_URL).json()["count"] == 0
    r = outsider.post(transition_url(case.pk, "draft_reply"), {}, format="json")
    assert r.status_code == 404

    foreign_clerk = client_for(world.other_congress_clerk)
    assert foreign_clerk.get(CASES_URL).json()["count"] == 0
    assert foreign_clerk.get(case_url(case.pk)).status_code == 404

    co_handler = client_for(world.handler_of(world.units[1]))
    assert [c["id"] for c in co_handler.get(CASES_URL).json()["results"]] == [case.pk]
    assert "give_co_opinion" in names(co_handler.get(case_url(case.pk)).json())

    deputy = client_for(world.deputy_user)
    assert [c["id"] for c in deputy.get(CASES_URL).json()["results"]] == [case.pk]
    assert deputy.get(case_url(other.pk)).status_code == 404
    # The office does not see another deputy's unsubmitted draft either.
    assert client_for(world.clerk).get(case_url(other.pk)).status_code == 404


def test_declining_leaves_the_case_out_of_sight(world):
    case = draft(world, cosigners=1)
    fire(client_for(world.deputy_user), case.pk, "submit")
    cosigner = client_for(world.deputies[1].user)
    body = fire(cosigner, case.pk, "decline_cosign", full=True)
    assert body["state"] == "submitted" and body["case"] is None
    assert cosigner.get(case_url(case.pk)).status_code == 404


def test_list_filters(world):
    handling = to_state(world, draft(world), "handling")
    submitted = to_state(world, draft(world, title="关于增设公交线路方便群众出行的建议",
                                      category="交通运输"), "submitted")
    clerk = client_for(world.clerk)

    def ids(**params) -> list[int]:
        r = clerk.get(CASES_URL, params)
        assert r.status_code == 200, r.content.decode()
        return [c["id"] for c in r.json()["results"]]

    assert ids() == [submitted.pk, handling.pk]
    assert ids(kind="suggestion", state="handling") == [handling.pk]
    assert ids(state="submitted,handling") == [submitted.pk, handling.pk]
    assert ids(q="公交") == [submitted.pk]
    assert ids(unit=world.units[0].pk) == [handling.pk]
    assert ids(unit=world.units[2].pk) == []
    assert ids(is_key="false") == [submitted.pk, handling.pk] and ids(is_key="true") == []

    row = clerk.get(CASES_URL, {"state": "handling"}).json()["results"][0]
    assert row["state_label"] == "办理中" and row["next_deadline"]["light"] == "green"
    assert {u["name"] for u in row["units"]} == {world.units[0].name, world.units[1].name}

    for bad in ({"state": "flying"}, {"is_key": "maybe"}, {"unit": "x"}, {"kind": "petition"}):
        r = clerk.get(CASES_URL, bad)
        assert r.status_code == 400 and CHINESE.search(r.json()["detail"]), bad


def test_reference_lists_hide_personal_data(world):
    deputy = client_for(world.deputy_user)
    r = deputy.get("/api/v1/deputies/", {"q": "代表1"})
    assert r.status_code == 200
    rows = r.json()["results"]
    assert {d["name"] for d in rows} == {"代表1", "代表10", "代表11"}
    assert set(rows[0]) == {"id", "name", "delegation"}
    assert "1380000" not in deputy.get("/api/v1/deputies/").content.decode()

    me = deputy.get("/api/v1/me/").json()
    assert me["role"] == "deputy" and me["deputy_id"] == world.deputies[0].pk
    assert me["role_label"] == "人大代表"

    units = client_for(world.clerk).get("/api/v1/units/").json()
    assert [u["name"] for u in units] == sorted(u.name for u in world.units)
    assert client_for(world.other_congress_clerk).get("/api/v1/units/").json() == []


# ------------------------------------------------------------- opening any kind, detail, offers

def fields_of(detail: dict, name: str) -> dict[str, dict]:
    t = next(t for t in detail["available_transitions"] if t["name"] == name)
    return {f["name"]: f for f in t["fields"]}


def test_open_a_suggestion_through_the_generic_endpoint(world):
    deputy = client_for(world.deputy_user)
    r = deputy.post(CASES_URL, draft_payload(confidential=True), format="json")
    assert r.status_code == 201, r.content.decode()
    case = r.json()
    assert case["kind"] == "suggestion" and case["kind_label"] == "建议"
    assert case["state_label"] == "草稿"
    assert case["detail"] == {"confidential": True}
    assert "motion" not in case and "confidential" not in case  # only under `detail`

    # The kind's fields may come nested under "detail"; nested wins over the top level.
    r = deputy.post(CASES_URL, draft_payload(confidential=True, detail={"confidential": False,
                                                                        "title": "关于增设公交线路的建议"}),
                    format="json")
    assert r.status_code == 201, r.content.decode()
    assert r.json()["detail"] == {"confidential": False} and r.json()["title"] == "关于增设公交线路的建议"
    assert client_for(world.deputy_user).get(case_url(r.json()["id"])).json()["detail"] == {
        "confidential": False}


def test_opening_refusals(world):
    deputy = client_for(world.deputy_user)
    r = deputy.post(CASES_URL, draft_payload(kind="petition"), format="json")
    assert r.status_code == 400 and CHINESE.search(r.json()["detail"])
    assert "petition" in r.json()["detail"] and "suggestion" in r.json()["detail"]
    assert "kind" in r.json()["errors"]
    r = deputy.post(CASES_URL, {k: v for k, v in draft_payload().items() if k != "kind"}, format="json")
    assert r.status_code == 400 and "kind" in r.json()["errors"]
    r = deputy.post(CASES_URL, draft_payload(detail="不是对象"), format="json")
    assert r.status_code == 400 and "detail" in r.json()["errors"]

    handler = client_for(world.handler_of(world.units[0]))
    r = handler.post(CASES_URL, draft_payload(), format="json")
    assert r.status_code == 403 and "无权提出建议" in r.json()["detail"]
    assert deputy.get(CASES_URL).json()["count"] == 0


def test_offers_follow_the_forms(world):
    case = to_state(world, draft(world), "handling")  # lead units[0], co units[1]
    lead, co = world.units[0], world.units[1]
    head = client_for(world.head_of(lead))
    lead_handler = client_for(world.handler_of(lead))
    co_handler = client_for(world.handler_of(co))

    # Nothing to sign yet: the head is not offered sign_reply (fire() would refuse it too).
    assert "sign_reply" not in names(head.get(case_url(case.pk)).json())
    r = head.post(transition_url(case.pk, "sign_reply"), {"confirm": True}, format="json")
    assert r.status_code == 400
    # The lead unit answers; only a co-unit gives a co-opinion.
    lead_view = lead_handler.get(case_url(case.pk)).json()
    assert "draft_reply" in names(lead_view) and "give_co_opinion" not in names(lead_view)
    co_view = co_handler.get(case_url(case.pk)).json()
    assert "give_co_opinion" in names(co_view) and "draft_reply" not in names(co_view)
    co_assignment = next(a for a in co_view["assignments"] if a["role"] == "co")
    assert fields_of(co_view, "give_co_opinion")["assignment"]["default"] == co_assignment["id"]

    # The reply classes are the congress's, read from the form built for this case.
    reply = fields_of(lead_view, "draft_reply")
    assert [c["value"] for c in reply["reply_class"]["choices"]] == ["A", "B", "C"]
    assert reply["reply_class"]["choices"][0]["label"].startswith("A类")
    assert reply["text"]["min_length"] == 30 and reply["attachment"]["type"] == "file"
    lead_id = reply["assignment"]["default"]
    assert [c["value"] for c in reply["assignment"]["choices"]] == [lead_id]

    body = fire(lead_handler, case.pk, "draft_reply", {"assignment": lead_id, "reply_class": "A",
                                                       "text": REPLY_TEXT}, full=True)
    [drafted] = body["case"]["replies"]
    sign = fields_of(head.get(case_url(case.pk)).json(), "sign_reply")
    assert sign["reply"]["default"] == drafted["id"] and sign["confirm"]["type"] == "boolean"


def test_reply_classes_follow_the_congress_rules(world):
    from lvzhi.cases.deadlines import rules_for

    case = to_state(world, draft(world), "handling")
    rules = rules_for(world.congress)
    rules.reply_classes = "ABCD"
    rules.save()
    view = client_for(world.handler_of(world.units[0])).get(case_url(case.pk)).json()
    assert [c["value"] for c in fields_of(view, "draft_reply")["reply_class"]["choices"]] == list("ABCD")
