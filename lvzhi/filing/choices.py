"""The words of filing review (RULES.md §4.4; 北京市各级人民代表大会常务委员会规范性文件备案审查条例(2024)).

Each list is the one place its labels live: forms, pages, figures, exports and the demo read them.
"""

from __future__ import annotations

from django.db import models


class BodyKind(models.TextChoices):
    """Who files with a city-level standing committee (北京 第八、九条; 监督法 第三十九条)."""

    GOVERNMENT = "government", "市人民政府"
    SUPERVISION = "supervision", "市监察委员会"
    COURT = "court", "市中级人民法院"
    PROCURATORATE = "procuratorate", "市人民检察院"
    DISTRICT_CONGRESS = "district_congress", "县区人大及其常委会"


class DocKind(models.TextChoices):
    """Filing.doc_kind (GLOSSARY: 规章 / 行政规范性文件 / 司法规范性文件)."""

    GOV_RULE = "gov_rule", "政府规章"
    ADMIN_NORMATIVE = "admin_normative", "行政规范性文件"
    SUPERVISION_NORMATIVE = "supervision_normative", "监察规范性文件"
    JUDICIAL_NORMATIVE = "judicial_normative", "司法规范性文件"
    DISTRICT_RESOLUTION = "district_resolution", "县区人大及其常委会决议决定"


# What each kind of body may file.
BODY_DOC_KINDS: dict[str, tuple[str, ...]] = {
    BodyKind.GOVERNMENT: (DocKind.GOV_RULE, DocKind.ADMIN_NORMATIVE),
    BodyKind.SUPERVISION: (DocKind.SUPERVISION_NORMATIVE,),
    BodyKind.COURT: (DocKind.JUDICIAL_NORMATIVE,),
    BodyKind.PROCURATORATE: (DocKind.JUDICIAL_NORMATIVE,),
    BodyKind.DISTRICT_CONGRESS: (DocKind.DISTRICT_RESOLUTION,),
}


class Criterion(models.TextChoices):
    """The review criteria: the nine of 北京 第十四条, then the local one the seeds' committee added
    for its 专项审查 (铸牢中华民族共同体意识). Finding.criterion."""

    PARTY_POLICY = "party_policy", "（一）不符合党中央重大决策部署和国家重大改革方向"
    BEYOND_POWER = "beyond_power", "（二）超越权限，减损权利或者增加义务"
    UPPER_LAW = "upper_law", "（三）违反法律、法规和上级或者本级人大及其常委会的决议、决定"
    PROCEDURE = "procedure", "（四）违反法定程序"
    PROPORTIONALITY = "proportionality", "（五）采取的措施与其目的不符合比例原则"
    PUBLIC_ORDER = "public_order", "（六）明显违背社会主义核心价值观和公序良俗"
    CHANGED = "changed", "（七）因现实情况发生重大变化而不宜继续施行"
    INCONSISTENT = "inconsistent", "（八）同一层级规范性文件对同一事项规定不一致"
    OTHER = "other", "（九）其他违反法律法规或者明显不适当的情形"
    ETHNIC_UNITY = "ethnic_unity", "不符合铸牢中华民族共同体意识要求"


NINE_CRITERIA = tuple(c for c in Criterion if c != Criterion.ETHNIC_UNITY)


class Attachment(models.TextChoices):
    """FilingAttachment.kind: what a filing carries (北京 第十一条: 文本、说明、依据)."""

    TEXT = "text", "规范性文件文本"
    EXPLANATION = "explanation", "起草说明"
    BASIS = "basis", "制定依据"
    SUPPLEMENT = "supplement", "补充材料"
    PLAN = "plan", "书面处理计划"
    REVISED = "revised", "修改后文本"
    REPORT = "report", "处理情况报告"


class Outcome(models.TextChoices):
    """FilingDetail.outcome: how a review ended (北京 第二十九至三十二条)."""

    NO_PROBLEM = "no_problem", "未发现问题，审查终止"
    SELF_CORRECTED = "self_corrected", "制定机关自行修改或者废止，审查终止"
    CORRECTED = "corrected", "经沟通或审查意见纠正，审查终止"
    ORDERED_CORRECTED = "ordered_corrected", "经常委会决定限期修改或者废止"
    REVOKED = "revoked", "常委会决定撤销"


class CouncilOption(models.TextChoices):
    """What the 主任会议 puts to the 常委会 when the maker does not fix it (北京 第三十一条)."""

    CORRECT_BY_DEADLINE = "correct_by_deadline", "确认违法，要求限期修改或者废止"
    SELF_REVISE = "self_revise", "要求制定机关自行修改完善或者清理"
    REVOKE = "revoke", "依法予以撤销"
