"""The demo year of 信访代办 and 诉前调解: deputies took on petitioners' matters (most resolved or
explained, some still open) and joined the courts' pre-litigation mediations (about a third
succeeded, as in the seeds' 1,099 of 3,307)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lvzhi.requests.petition_models import Mediation, MediationResult, Petition, PetitionOutcome

AGENCIES = ["城东区信访局", "城西区信访局", "市人力资源和社会保障局", "市住房和城乡建设局", "市自然资源和规划局",
            "高新区管委会社会事务局"]
DISPUTES = [("物业服务合同纠纷", "业主与物业公司就物业费和服务质量发生争议"),
            ("民间借贷纠纷", "亲友之间借款到期未还，双方对利息约定有争议"),
            ("劳务合同纠纷", "农民工讨要拖欠的劳务费"),
            ("相邻关系纠纷", "邻居加装空调外机、排水引发矛盾"),
            ("买卖合同纠纷", "商户与供货商就货款结算发生争议"),
            ("婚姻家庭纠纷", "赡养费给付问题")]
COURTS = ["北辰市城东区人民法院", "北辰市城西区人民法院", "北辰市高新区人民法院", "北辰市中级人民法院"]


def build(b: Any) -> None:
    rng, latest = b.rng, b.latest
    span = max(2, (latest - dt.date(latest.year, 1, 1)).days)
    texts = [m.body[:300] for m in b.messages if len(m.body) >= 30][-b._count(120):]
    rows = []
    for i, text in enumerate(texts):
        taken = latest - dt.timedelta(days=rng.randint(1, span))
        deputy = b.deputy if i < 2 else rng.choice(b.active)
        done = (latest - taken).days > 20 and rng.random() < 0.85
        outcome = rng.choice([PetitionOutcome.RESOLVED, PetitionOutcome.RESOLVED, PetitionOutcome.EXPLAINED,
                              PetitionOutcome.CONCLUDED]) if done else PetitionOutcome.OPEN
        p = Petition(congress=b.city, deputy=deputy, petitioner=rng.choice("王李张刘陈杨赵黄") + "某某",
                     matter=text, agency=rng.choice(AGENCIES), taken_on=taken, outcome=outcome,
                     outcome_text="经代表跟踪协调，办理机关已作出处理，信访人表示认可。" if done else "",
                     closed_on=taken + dt.timedelta(days=20) if done else None, recorded_by=deputy.user)
        p.contact = "1" + rng.choice("358") + "".join(rng.choice("0123456789") for _ in range(9))
        rows.append(p)
    Petition.objects.bulk_create(rows)
    meds = []
    for i in range(b._count(330)):
        on = latest - dt.timedelta(days=rng.randint(0, span))
        dispute, summary = rng.choice(DISPUTES)
        r = rng.random()
        result = (MediationResult.PENDING if (latest - on).days < 7 else
                  MediationResult.SUCCEEDED if r < 0.34 else MediationResult.FAILED)
        deputy = b.deputy if i < 2 else rng.choice(b.active)
        meds.append(Mediation(congress=b.city, deputy=deputy, court=rng.choice(COURTS),
                              case_no=f"（{on.year}）诉前调{rng.randint(100, 9999)}号", dispute=dispute,
                              summary=summary,
                              mediated_on=on, result=result,
                              result_text={"succeeded": "双方达成调解协议，当场履行。",
                                           "failed": "双方分歧较大，转入诉讼程序。"}.get(result, ""),
                              recorded_by=b.clerk))
    Mediation.objects.bulk_create(meds)
