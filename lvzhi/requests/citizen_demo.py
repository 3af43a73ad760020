"""The 北辰市 demo year of 代表码上见 (CaseKind.demo): a few hundred requests written from the real
citizens' messages in data/, sent by QR code to deputies and stations from January to yesterday.

Most are forwarded to the unit the message's words point to, which replies with the real
government answer to that message when there is one; others are answered directly, after a
meeting, turned into a suggestion or declined. Older ones are rated (mostly satisfied, a few
not, one in six left unrated until the window closed, a few reopened); the last weeks' are
still open, so every queue has work. The demo deputy has one of each state.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lvzhi.cases.engine import fire
from lvzhi.requests import citizen_services as svc

FULL = 320
DECLINE = ["该事项已进入诉讼程序，请通过人民法院依法解决，代表将关注办理情况。",
           "该事项属于劳动争议，请向劳动人事争议仲裁委员会申请仲裁，代表可以协助联系。",
           "您反映的事项已由信访部门受理并作出处理意见，请按照信访程序申请复查。"]
DIRECT = ["经了解，该问题已列入{unit}今年的工作计划，预计年内完成，我会继续关注。",
          "我已就此与{unit}沟通，相关负责同志表示将尽快研究解决，并会主动与您联系。",
          "您反映的情况我已实地查看，已协调社区和{unit}现场处理，问题已基本解决。"]
PLACES = ["社区党群服务中心", "代表联络站接待室", "小区物业办公室", "街道便民服务中心"]
REOPEN = "问题还是没有彻底解决，希望代表继续跟进。"
UNIT_REPLY = "收到代表转来的群众诉求后，我单位已组织人员现场核实，正在按职责抓紧处理，处理结果将及时报告代表。"
TOLD_SUGGESTION = "您反映的问题具有普遍性，我已将其整理为代表建议提出，将跟踪办理结果。"


def _text(body: str, limit: int = 600) -> str:
    body = re.sub(r"\s+", "", body)
    if len(body) <= limit:
        return body
    cut = body[:limit]
    end = max(cut.rfind("。"), cut.rfind("！"), cut.rfind("？"))
    return cut[: end + 1] if end > limit // 2 else cut + "……"


def _phone(rng) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def build(b: Any) -> None:
    rng, latest = b.rng, b.latest
    year_start = dt.date(latest.year, 1, 1)
    span = (latest - year_start).days
    n = b._count(FULL)
    pool = [m for m in b.messages[::-1] if len(m.body) >= 30][:n]
    with_station = [d for d in b.active if d.station_id]
    surnames = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
    for i, msg in enumerate(pool):
        # The demo deputy gets the first few, one in each state; the rest spread over the year.
        own = i < 6
        if own:
            days_ago = [2, 5, 9, 45, 70, 120][i]
            target = svc.Target(deputy=b.deputy)
        else:
            days_ago = rng.randint(1, span) if span > 1 else 1
            if rng.random() < 0.3 and b.stations:
                target = svc.Target(station=rng.choice(b.stations))
            else:
                target = svc.Target(deputy=rng.choice(b.active))
        on = latest - dt.timedelta(days=days_ago)
        t0 = dt.datetime.combine(on, dt.time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=b.now.tzinfo)
        name = rng.choice(surnames) + rng.choice(["先生", "女士", "阿姨", "师傅"]) if rng.random() < 0.7 else ""
        data = {"text": _text(msg.body), "contact": _phone(rng), "name": name}
        try:
            case = svc.submit(target, data, ip=f"demo-{i}", now=t0)
        except svc.InvalidInput:
            continue
        if target.deputy:
            actor = target.deputy.user
        else:
            members = [d for d in with_station if d.station_id == target.station.pk]
            if not members:
                continue
            actor = rng.choice(members).user
        _play(b, case, msg, actor, t0, script_for(i, own, target, msg, rng), own)


def script_for(i: int, own: bool, target: svc.Target, msg: Any, rng: Any) -> str:
    if own:
        return ["received", "accepted_forwarded", "unit_replied", "answered", "closed", "closed"][i]
    r = rng.random()
    script = ("forward" if r < 0.5 else "direct" if r < 0.78 else "meet" if r < 0.88
              else "decline" if r < 0.95 else "suggestion")
    if script == "suggestion" and (target.deputy is None or len(msg.title_as_deputy or "") < 5):
        return "direct"
    return script


def _play(b: Any, case: Any, msg: Any, actor: Any, t0: dt.datetime, script: str, own: bool) -> None:
    """One request's year: the deputy's steps, the unit's, then the citizen's, up to yesterday."""
    rng, latest = b.rng, b.latest
    lead, _alt = b._route(msg)

    def at(days: float) -> dt.datetime:
        return t0 + dt.timedelta(days=days)

    def still(days: float) -> bool:  # this step is still in the future
        return at(days).date() > latest

    if script == "received" or still(1):
        return
    if script == "decline":
        fire(case, "decline", actor, {"reason": rng.choice(DECLINE)}, now=at(1))
        return
    if script in ("forward", "accepted_forwarded", "unit_replied", "answered", "closed"):
        fire(case, "accept", actor, {"note": "已收到，我会尽快了解情况并转请有关部门办理。"}, now=at(0.5))
        fire(case, "forward", actor, {"unit": lead.pk, "note": "群众反映的问题请核实办理，并将结果答复代表。"},
             now=at(1))
        if script == "accepted_forwarded" or still(8):
            return
        reply = msg.reply or UNIT_REPLY
        fire(case, "unit_reply", b.handler.get(lead.pk), {"text": _text(reply, 1200)}, now=at(7))
        if script == "unit_replied" or still(10):
            return
        fire(case, "answer", actor, {"text": f"{lead.name}答复：{_text(reply, 400)}"}, now=at(9))
    elif script == "meet":
        fire(case, "meet", actor, {"met_on": at(3).date().isoformat(), "place": rng.choice(PLACES),
                                   "note": "与群众当面沟通，了解了具体情况和诉求。"}, now=at(3))
        if still(6):
            return
        fire(case, "answer", actor, {"text": rng.choice(DIRECT).format(unit=lead.name)}, now=at(5))
    elif script == "suggestion":
        body = (f"近期群众通过代表码上见反映：{_text(msg.body, 300)}这一问题具有普遍性，建议{lead.name}"
                "统筹研究，完善相关政策措施，切实解决群众的急难愁盼问题。")
        fire(case, "to_suggestion", actor, {"title": msg.title_as_deputy[:200], "body": body, "text": TOLD_SUGGESTION},
             now=at(4))
        return
    else:
        fire(case, "answer", actor, {"text": rng.choice(DIRECT).format(unit=lead.name)}, now=at(2))
    if (own and script == "answered") or still(14):
        return
    # The citizen's part, for requests answered a while ago.
    r = rng.random()
    if r < 0.62:
        fire(case, "rate", None, {"rating": "satisfied"}, now=at(12))
    elif r < 0.76:
        fire(case, "rate", None, {"rating": "basic", "comment": "希望后续持续关注"}, now=at(12))
    elif r < 0.84 and not still(20):
        fire(case, "rate", None, {"rating": "unsatisfied", "comment": "问题没有实质解决"}, now=at(12))
        fire(case, "reopen", None, {"reason": REOPEN}, now=at(13))
        if still(22):
            return
        fire(case, "answer", actor, {"text": f"已再次督促{lead.name}办理，相关问题已于近日处理完毕。"}, now=at(20))
        if not still(26):
            fire(case, "rate", None, {"rating": "basic"}, now=at(25))
    elif not still(45):
        fire(case, "expire_rating", None, {}, now=at(44))
