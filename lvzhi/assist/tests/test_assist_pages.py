"""Similar cases, hot topics, reply check and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lvzhi.assist import services
from lvzhi.assist.tests.conftest import RealMessage, deputies, make_case, real_messages, setup_units
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Reply
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    client.logout()
    client.force_login(user)


@pytest.fixture
def msgs():
    return real_messages(6)


def test_similar_panel_finds_a_repost(world, client, msgs):
    who = deputies(world)
    setup_units(world)
    original = msgs["城乡建设"][0]
    registered = make_case(world, next(who), original, "registered")
    others = [make_case(world, next(who), m, "registered") for m in msgs["交通运输"][:3]]
    secret = make_case(world, next(who), msgs["教育文体"][0], "registered", confidential=True)
    unsent = make_case(world, next(who), msgs["卫生计生"][0], "draft")

    login(client, world.deputies[5].user)
    form = client.get(reverse("case_new")).content.decode()
    assert 'id="assist-similar"' in form and "input changed delay:800ms" in form
    # A re-post: the same complaint with a new first line.
    url = reverse("assist_similar")
    r = client.get(url, {"title": "再次反映：" + original.title, "body": "上次反映后仍未解决。" + original.body})
    page = r.content.decode()
    assert r.status_code == 200 and "已有相近建议，可考虑附议或补充" in page
    assert registered.number in page and registered.title in page and "已立案待交办" in page
    assert "共同内容" in page
    assert all(o.title not in page for o in others)
    # The form posts the draft: a long body would not fit in a URL a proxy lets through.
    assert f'hx-post="{url}"' in form
    long_body = "上次反映后仍未解决。" + original.body + "补充情况：" * 2000
    page = client.post(url, {"title": "再次反映：" + original.title, "body": long_body}).content.decode()
    assert registered.number in page
    # Confidential and draft cases are never offered, even to a word-for-word copy.
    for hidden in (secret, unsent):
        page = client.get(url, {"title": hidden.title, "body": hidden.body}).content.decode()
        assert hidden.title not in page and "暂未发现" in page
    # Nothing personal: the lead deputy's name is not in the panel.
    assert registered.lead_deputy.name not in client.get(url, {"title": original.title}).content.decode()
    r = client.get(url, {"title": " ", "body": ""})
    assert r.status_code == 400 and "请输入建议标题或内容" in r.content.decode()
    assert client.get(url, {"title": "x", "exclude": "abc"}).status_code == 400

    # The clerk reviewing a submitted re-post sees the registered original as a merge target.
    repost = make_case(world, next(who), original, "submitted")
    login(client, world.clerk)
    detail = client.get(reverse("cases:detail", args=[repost.pk])).content.decode()
    assert reverse("assist_case_similar", args=[repost.pk]) in detail
    panel = client.get(reverse("assist_case_similar", args=[repost.pk])).content.decode()
    assert registered.number in panel and f'data-assist-merge="{registered.pk}"' in panel and "并案" in panel
    # The merge form's target select takes that id.
    fire(repost, "merge", world.clerk, {"target": registered.pk, "reason": "内容相同"})
    repost.refresh_from_db()
    assert repost.merged_into_id == registered.pk


def test_similar_index_follows_new_cases(world, msgs):
    who = deputies(world)
    first = make_case(world, next(who), msgs["环境保护"][0], "registered")
    assert [s.id for s in services.similar_cases(world.congress.pk, first.title, first.body)] == [first.pk]
    entry = services.similarity_index(world.congress.pk)
    # A transition that does not change any text keeps the same index object.
    fire(first, "assign", world.clerk, {"mode": "lead", "lead": world.units[0].pk})
    assert services.similarity_index(world.congress.pk).index is entry.index
    second = make_case(world, next(who), msgs["环境保护"][1], "registered")
    found = services.similar_cases(world.congress.pk, second.title, second.body)
    assert found and found[0].id == second.pk and found[0].state_label == "已立案待交办"


def test_hot_topics_group_same_problem_cases(world, client, msgs):
    who = deputies(world)
    a, b = msgs["城乡建设"][1], msgs["交通运输"][1]
    # Three deputies raise the same problem (re-posts of one message), two raise another.
    same_a = [make_case(world, next(who), a, "registered") for _ in range(2)]
    same_a.append(make_case(world, next(who), RealMessage(a.id, "再次反映" + a.title, "仍未解决。" + a.body, a.label),
                            "registered"))
    same_b = [make_case(world, next(who), b, "registered"),
              make_case(world, next(who), RealMessage(b.id, "关于" + b.title, b.body + "望尽快处理。", b.label),
                        "submitted")]
    singles = [make_case(world, next(who), m, "registered") for m in (msgs["教育文体"][2], msgs["卫生计生"][3])]

    login(client, world.leader)
    r = client.get(reverse("assist_hot_topics"))
    page = r.content.decode()
    assert r.status_code == 200
    topics = r.context["topics"]
    assert [t["size"] for t in topics] == [3, 2]
    first_ids = {c.pk for c in same_a}
    assert topics[0]["case_id"] in first_ids and topics[1]["case_id"] in {c.pk for c in same_b}
    assert all(s.title not in [t["title"] for t in topics] for s in singles)
    assert topics[0]["key_phrases"] and 'data-assist-trend="trend-1"' in page and 'id="trend-1"' in page
    month = dt.date.today().strftime("%Y-%m")
    assert topics[0]["chart"]["values"][topics[0]["chart"]["months"].index(month)] == 3
    assert "vendor/echarts/echarts.min.js" in page and "js/assist.js" in page
    # Support: confirmed co-signers of the topic's cases count as its "likes".
    assert topics[0]["likes"] == 0

    r = client.get(reverse("assist_hot_topics"), {"from": "2026-13", "to": month})
    assert r.status_code == 400 and "月份格式应为" in r.content.decode()
    r = client.get(reverse("assist_hot_topics"), {"from": month, "to": "2001-01"})
    assert r.status_code == 400 and "起始月份不能晚于结束月份" in r.content.decode()
    # A period without cases: no topics.
    r = client.get(reverse("assist_hot_topics"), {"from": "2001-01", "to": "2001-12"})
    assert r.status_code == 200 and r.context["topics"] == [] and "没有形成热点" in r.content.decode()


def test_reply_check_flags_boilerplate_and_passes_a_concrete_reply(world, client):
    case = to_state(world, draft(world), "handling")
    lead = case.assignments.get(unit=world.units[0])
    boiler = Reply(case=case, assignment=lead, text="感谢您的建议，我们将认真研究。", reply_class="B")
    check = services.check_reply_for(boiler)
    assert {"boilerplate", "no_concrete_commitment"} <= set(check.codes)
    # A C-class reply explains why it cannot be done now: no measure is expected of it.
    boiler.reply_class = "C"
    check = services.check_reply_for(boiler)
    assert "boilerplate" in check.codes and "no_concrete_commitment" not in check.codes

    concrete = ("经研究，我局已将老旧小区加装电梯纳入2026年民生实事，已于3月简化审批流程，"
                "明确每台电梯补贴二十万元；由市住房和城乡建设局房屋安全管理处负责，计划年底前完成50台电梯安装。")
    assert services.check_reply_for(Reply(case=case, assignment=lead, text=concrete, reply_class="B")).flags == []
    # A due date already passed is flagged as late.
    late = services.check_reply_for(Reply(case=case, assignment=lead, text=concrete, reply_class="B"),
                                    today=dt.date.today() + dt.timedelta(days=400))
    assert late.codes == ["late"] and "逾期" in late.flags[0].message

    # On the case page: the head who signs sees the flags of the draft above the sign form.
    text = "感谢您对我们工作的关心和支持，您的建议我们已收悉，我们将认真研究，积极采纳，特此答复。"
    fire(case, "draft_reply", world.handler_of(world.units[0]), {"assignment": lead.pk, "reply_class": "B",
                                                                  "text": text})
    head = world.head_of(world.units[0])
    login(client, head)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("assist_reply_check", args=[case.pk]) in detail
    panel = client.get(reverse("assist_reply_check", args=[case.pk])).content.decode()
    assert "套话" in panel and "无具体措施" in panel and "关联度" in panel
    # The clerk sees nothing to check until the head has signed; then the signed reply.
    login(client, world.clerk)
    assert "没有需要检查的答复" in client.get(reverse("assist_reply_check", args=[case.pk])).content.decode()
    reply = case.replies.get()
    fire(case, "sign_reply", head, {"reply": reply.pk, "confirm": True})
    assert "套话" in client.get(reverse("assist_reply_check", args=[case.pk])).content.decode()


def test_permissions_and_congress_scope(world, client, msgs):
    case = make_case(world, world.deputy_user, msgs["城乡建设"][0], "registered")
    login(client, world.deputy_user)
    for name in ("assist_models", "assist_hot_topics", "assist_models_table"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("assist_retrain")).status_code == 403
    for name in ("assist_case_units", "assist_case_similar"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 403, name
    login(client, world.leader)
    assert client.get(reverse("assist_models")).status_code == 403
    assert client.get(reverse("assist_hot_topics")).status_code == 200
    login(client, world.handlers[0])
    assert client.get(reverse("assist_similar"), {"title": case.title}).status_code == 403
    assert client.get(reverse("assist_hot_topics")).status_code == 403

    # Another congress's clerk: not its cases, not its similar cases, not its topics or models.
    other = world.other_congress_clerk
    login(client, other)
    assert client.get(reverse("assist_case_units", args=[case.pk])).status_code == 404
    assert client.get(reverse("assist_case_similar", args=[case.pk])).status_code == 404
    page = client.get(reverse("assist_similar"), {"title": case.title, "body": case.body}).content.decode()
    assert case.title not in page and "暂未发现" in page
    r = client.get(reverse("assist_hot_topics"))
    assert r.status_code == 200 and r.context["n_cases"] == 0
    services.run_training(services.start_retraining(world.congress.pk).pk)  # fails: too little data
    assert "尚未训练" in client.get(reverse("assist_models")).content.decode()
    # Nav: the clerk and leader get the new pages, the deputy does not.
    login(client, world.clerk)
    nav = client.get(reverse("intake")).content.decode()
    assert "热点分析" in nav and "智能模型" in nav
    login(client, world.deputy_user)
    assert "智能模型" not in client.get(reverse("my_cases")).content.decode()
