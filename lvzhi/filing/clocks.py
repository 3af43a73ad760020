"""The clocks of filing review, declared once at start-up (lvzhi.cases.clocks); every length is a
rule-set value a congress may change (RuleSet.params[code]).

报送备案: 30 days from publication (立法法 第一百零九条; 北京 第十一条). Counted before the filing
exists, so it is not a case clock: intake computes the due date with it and marks a late filing.
"""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock

FILING_DUE = "filing_due"
FORM_REVIEW = "filing_form_review"
SUPPLEMENT = "filing_supplement"
DISTRIBUTE = "filing_distribute"
REVIEW = "filing_review"
COMMITTEE_OPINION = "filing_committee_opinion"
REFILE = "filing_refile"
ANSWER = "filing_answer"
CORRECTION_REPORT = "filing_correction_report"

# The most a review may be extended (北京 第二十三条: 延长期限一般不得超过三个月).
REVIEW_MAX_EXTENSION_MONTHS = 3

CLOCKS = (
    register_clock(Clock(FILING_DUE, "报送备案", "days", default=30, duty=True, shown=False, remind=False,
                         basis="立法法第一百零九条；北京 备案审查条例第十一条：自公布之日起三十日内报送备案")),
    register_clock(Clock(FORM_REVIEW, "形式审查", "days", default=10, duty=True, notify="office",
                         basis="北京 备案审查条例第十二条：收到报送备案材料之日起十日内进行形式审查")),
    register_clock(Clock(SUPPLEMENT, "补充材料", "days", default=10, duty=True,
                         basis="北京 备案审查条例第十二条：制定机关在十日内补充或者重新报送")),
    register_clock(Clock(DISTRIBUTE, "分送审查", "workdays", default=5, duty=True, notify="office",
                         basis="北京 备案审查条例第二十二条：自登记之日起五个工作日内分送有关专门委员会")),
    register_clock(Clock(REVIEW, "审查完成", "months", default=3, duty=True, notify="office",
                         basis="北京 备案审查条例第二十三条：自备案登记之日起三个月内完成，延长不超过三个月")),
    register_clock(Clock(COMMITTEE_OPINION, "专委审查意见", "days", default=30, duty=True,
                         basis="北京 备案审查条例第二十三条：专门委员会三十日内提出书面审查意见，延长不超过三十日")),
    register_clock(Clock(REFILE, "纠正后报送", "days", default=30, duty=True,
                         basis="北京 备案审查条例第三十条：修改或者废止之日起三十日内书面报告并报送备案")),
    register_clock(Clock(ANSWER, "书面处理意见", "days", default=30, duty=True,
                         basis="北京 备案审查条例第二十九条：制定机关应当在三十日内提出书面处理意见")),
    register_clock(Clock(CORRECTION_REPORT, "纠正情况报告", "days", default=30, duty=True,
                         basis="北京 备案审查条例第三十二条：处理后三十日内向常委会书面报告")),
)
CODES = tuple(c.code for c in CLOCKS if c.code != FILING_DUE)
# The 制定机关's own duties: what its pages light up (the 法工委's and committees' clocks are not its to meet).
MAKER = (SUPPLEMENT, REFILE, ANSWER, CORRECTION_REPORT)
