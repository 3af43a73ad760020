"""Who may do what in the regulation registry (法规库).

- The 法工委 keeps it: registers regulations and versions, imports files, records implementing
  rules, evaluations and clean-ups (立法法 第一百一十六条 clean-up by the enacting body; 北京条例
  第六十八条: 承担法规清理工作的常务委员会工作机构).
- The 主任会议, the committees and the working bodies read it (the working pages' roles).
- Units and deputies do not see the working pages; everyone reads the regulations in force on the
  portal.
"""

from __future__ import annotations

from lvzhi.core.models import User
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.permissions import may_manage, may_see_legislation


def may_see_registry(user: User) -> bool:
    return may_see_legislation(user)


def may_write_registry(user: User) -> bool:
    return may_manage(user)


def may_see_regulation(user: User, regulation: Regulation) -> bool:
    return may_see_registry(user) and regulation.congress_id == user.congress_id
