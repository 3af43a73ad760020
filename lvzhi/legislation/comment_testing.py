"""Test helpers for public comment: a regulation, a bill in reading and its draft (the bill area's
services are not needed for these), a later draft, a period open today, a contact point with a clerk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from lvzhi.core.models import Role, User
from lvzhi.legislation.choices import Action, BillState, Field
from lvzhi.legislation.comment_models import Channel, CommentPeriod, Verification
from lvzhi.legislation.models import Bill, ContactPoint, Draft, Regulation
from lvzhi.legislation.testing import LawBodies, add_law_bodies
from lvzhi.testing import World, make_user

DRAFT_TEXT = """北辰市物业管理条例（修订草案）
第一章 总则
第一条 为了规范物业管理活动，维护业主、物业使用人和物业服务人的合法权益，营造安全、舒适、文明、和谐的居住环境，根据《中华人民共和国民法典》《物业管理条例》等法律、行政法规，结合本市实际，制定本条例。
第二条 本条例适用于本市行政区域内的物业管理及其监督管理活动。
第三条 物业管理纳入基层治理体系，坚持党建引领、政府监管、业主自治、多方参与、协商共建的原则。
第二章 业主和业主大会
第四条 业主大会由物业管理区域内全体业主组成，代表和维护全体业主在物业管理活动中的合法权益。
第五条 业主委员会由业主大会选举产生，每届任期不超过五年，委员可以连选连任。
业主委员会委员应当遵守法律、法规和管理规约，不得索取、收受建设单位、物业服务人的财物或者其他利益。
第六条 业主委员会应当每半年公布一次业主共有部分经营收益、维修资金使用等情况，接受业主监督。
第三章 物业服务
第七条 物业服务人应当按照物业服务合同的约定提供服务，在物业管理区域内显著位置公示服务内容、服务标准、收费项目和收费标准。
第八条 物业服务收费实行政府指导价和市场调节价。调整物业费的，物业服务人应当提前三个月公示调整方案，并经专有部分面积过半数且人数过半数的业主同意。
第九条 物业管理区域内规划用于停放汽车的车位、车库，应当首先满足本区域内业主的需要。
第四章 专项维修资金
第十条 住宅专项维修资金属于业主所有，专项用于共用部位、共用设施设备保修期满后的维修和更新、改造。
电梯、消防设施等危及房屋安全的紧急情况，可以按照规定申请使用专项维修资金，不受业主大会表决的限制。
第十一条 专项维修资金的使用情况，应当每年向业主公布一次。
第五章 附则
第十二条 本条例自2027年1月1日起施行。
"""  # noqa: E501

LATER_TEXT = DRAFT_TEXT.replace("（修订草案）", "（修订草案二审稿）").replace(
    "第八条 物业服务收费实行政府指导价和市场调节价。调整物业费的，物业服务人应当提前三个月公示调整方案，",
    "第八条 物业服务收费实行政府指导价和市场调节价。调整物业费的，物业服务人应当提前三个月公示调整方案和上一年度"
    "物业服务费收支情况，").replace(
    "第十一条 专项维修资金的使用情况，应当每年向业主公布一次。",
    "第十一条 专项维修资金的使用情况，应当每半年向业主公布一次。\n"
    "第十一条之一 业主可以通过市物业管理信息平台查询本户专项维修资金的交存、使用和结余情况。")


@dataclass
class CommentWorld:
    world: World
    law: LawBodies
    regulation: Regulation
    bill: Bill
    draft: Draft
    later: Draft
    period: CommentPeriod
    point: ContactPoint
    point_clerk: User


def build_comment_world(world: World, *, verification: str = Verification.NONE, days: int = 30) -> CommentWorld:
    from lvzhi.legislation import comment_services as svc

    law = add_law_bodies(world)
    reg = Regulation.objects.create(congress=world.congress, title="北辰市物业管理条例", field=Field.URBAN)
    bill = Bill.objects.create(congress=world.congress, regulation=reg, action=Action.REVISE,
                               title="《北辰市物业管理条例（修订草案）》", state=BillState.IN_READING,
                               proposer="市人民政府", drafting_body="市住房和城乡建设局")
    draft = Draft.objects.create(bill=bill, label="修订草案（一审稿）", text=DRAFT_TEXT)
    later = Draft.objects.create(bill=bill, label="修订草案（二审稿）", text=LATER_TEXT, previous=draft)
    settings = svc.settings_for(world.congress.pk)
    settings.verification = verification
    settings.save()
    today = timezone.localdate()
    period = svc.open_period(law.law_clerk, draft, opens_on=today, closes_on=today + dt.timedelta(days=days - 1),
                             channels=list(Channel.values), short_reason="" if days >= 30 else "测试用短期限理由")
    clerk = make_user(f"point{world.congress.pk}", Role.CLERK, world.congress, None, "刘联络")
    point = ContactPoint.objects.create(congress=world.congress, name="东风街道基层立法联系点", kind="街道",
                                        district="城东区", address="东风街道党群服务中心", clerk=clerk)
    return CommentWorld(world, law, reg, bill, draft, later, period, point, clerk)
