"""Create one of the three administrator accounts, or give one a new temporary password.

The system administrator may not create or change administrator accounts (三权分立), so the
three are made on the server:

    manage.py create_admin_account sysadmin --role system_admin --name 周系统
    manage.py create_admin_account secadmin --role security_admin --name 吴安全
    manage.py create_admin_account auditor  --role audit_admin  --name 郑审计
    manage.py create_admin_account sysadmin --reset       # a forgotten password

The password is asked twice (or read from the environment variable named by --password-env);
it must meet the password policy and is temporary: the first login changes it. Each run is an
audit event. None of these accounts is a superuser; createsuperuser is for break-glass only.
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lvzhi.core import audit
from lvzhi.core.admin_site import ADMIN_ROLES
from lvzhi.core.models import Congress, Role, User


class Command(BaseCommand):
    help = "新建系统管理员、安全管理员或审计管理员账户，或为其设置新的临时密码"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ADMIN_ROLES), help="新建账户的角色")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--congress", type=int, help="所属人大的编号（可不填）")
        parser.add_argument("--reset", action="store_true", help="为已有的管理员账户设置新的临时密码")
        parser.add_argument("--password-env", help="从该环境变量读取密码（用于脚本），不填则交互输入")

    def handle(self, *args, username: str, role: str | None, name: str, congress: int | None,
               reset: bool, password_env: str | None, **options) -> None:
        existing = User.objects.filter(username=username).first()
        if reset:
            if existing is None or existing.role not in ADMIN_ROLES:
                raise CommandError(f"没有名为 {username} 的管理员账户")
            user = existing
        else:
            if existing is not None:
                raise CommandError(f"用户名 {username} 已存在；要设置新的临时密码请加 --reset")
            if role is None:
                raise CommandError("请用 --role 指定 system_admin、security_admin 或 audit_admin")
            if congress is not None and not Congress.objects.filter(pk=congress).exists():
                raise CommandError(f"没有编号为 {congress} 的人大")
            user = User(username=username, role=role, display_name=name, congress_id=congress)
        password = self._password(password_env)
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise CommandError("密码不符合要求：" + "".join(e.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.must_change_password = True
            user.is_active = True
            user.save()
            if reset:
                audit.record(audit.ACCOUNT, user.pk, "password_reset", "重置密码（命令行，临时密码）",
                             target=user, payload={"via": "manage.py create_admin_account --reset"})
            else:
                audit.record(audit.ACCOUNT, user.pk, "account_created", "新建管理员账户（命令行）",
                             target=user, to_state=user.role,
                             payload={"role": Role(user.role).label, "via": "manage.py create_admin_account"})
        verb = "已设置新的临时密码" if reset else f"已创建{Role(user.role).label}账户"
        self.stdout.write(self.style.SUCCESS(f"{username}：{verb}，首次登录时须修改密码。"))

    def _password(self, env_name: str | None) -> str:
        if env_name:
            value = os.environ.get(env_name, "")
            if not value:
                raise CommandError(f"环境变量 {env_name} 为空")
            return value
        first = getpass.getpass("临时密码：")
        if first != getpass.getpass("再次输入："):
            raise CommandError("两次输入的密码不一致")
        return first
