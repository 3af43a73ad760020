"""Regulation texts for the registry's tests: short, real-looking 北辰市 regulations."""

from __future__ import annotations

import datetime as dt

from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action, Field
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.versions import record_version

PROPERTY = """北辰市物业管理条例
第一章　总则
第一条　为了规范物业管理活动，维护业主、物业服务人的合法权益，营造和谐宜居的居住环境，\
根据《中华人民共和国民法典》和国务院《物业管理条例》等法律、行政法规，结合本市实际，制定本条例。
第二条　本市行政区域内的物业管理及其监督管理活动，适用本条例。
第三条　市住房和城乡建设主管部门负责全市物业管理活动的监督管理工作。
第二章　业主和业主大会
第四条　业主可以设立业主大会，选举业主委员会。
第五条　业主委员会应当定期公开物业服务合同履行情况和专项维修资金使用情况。
第三章　物业服务
第六条　物业服务人应当按照物业服务合同的约定提供服务，公示服务内容、服务标准和收费项目。
第七条　物业服务人不得采取停止供电、供水、供热、供燃气等方式催交物业费。
第四章　附则
第八条　本条例自2020年1月1日起施行。"""

PROPERTY_AMENDED = PROPERTY.replace("公示服务内容、服务标准和收费项目。",
                                    "在物业管理区域显著位置公示服务内容、服务标准、收费项目和收费标准。")


def regulation(world, title: str = "北辰市物业管理条例", text: str = PROPERTY, *, adopted_on=dt.date(2019, 8, 29),
               effective_on=dt.date(2020, 1, 1), actor=None) -> Regulation:
    reg = svc.create_regulation(actor, world.congress, title=title, field=Field.GOVERNANCE)
    record_version(reg, Action.ENACT, adopted_on, text=text, decision="", actor=actor,
                   approved_on=adopted_on + dt.timedelta(days=91), effective_on=effective_on,
                   gazette_issue="2019年第6号", gazette_on=adopted_on + dt.timedelta(days=100))
    reg.refresh_from_db()
    return reg
