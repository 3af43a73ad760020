"""Re-encrypt every SM4-encrypted value (the deputies' phone and ID numbers, the contacts commenters
left on drafts) with the current LVZHI_SM4_KEY.

For a database written before LVZHI_SM4_KEY was mandatory, when the key was derived from
SECRET_KEY (`--old-derived`, run with that same SECRET_KEY), or with any earlier key
(`--old-key HEX`). Idempotent: a value the current key already reads is left alone. One
transaction: either every value is re-encrypted or none is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lvzhi.core.crypto import legacy_derived_key, parse_sm4_key, sm4_decrypt, sm4_encrypt, sm4_key_is_default

# Every encrypted column: (model, its fields). A new one is added here.
ENCRYPTED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("deputies.Deputy", ("phone_encrypted", "id_number_encrypted")),
    ("legislation.Comment", ("contact_encrypted",)),
    ("filing.ReviewRequestDetail", ("contact_encrypted",)),
)


class Command(BaseCommand):
    help = "用当前 LVZHI_SM4_KEY 重新加密代表的手机号、身份证号和征求意见留下的联系方式（从旧的派生密钥或指定的旧密钥）"

    def add_arguments(self, parser) -> None:
        old = parser.add_mutually_exclusive_group(required=True)
        old.add_argument("--old-derived", action="store_true",
                         help="旧密钥由 SECRET_KEY 派生（未设置 LVZHI_SM4_KEY 时的旧做法）；须用当时的 SECRET_KEY 运行")
        old.add_argument("--old-key", metavar="HEX", help="旧的 32 位十六进制 SM4 密钥")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入")

    def handle(self, *args, old_derived: bool, old_key: str | None, dry_run: bool, **options) -> None:
        from django.apps import apps

        if sm4_key_is_default():
            raise CommandError("请先设置新的 LVZHI_SM4_KEY（32 位十六进制数，不能是开发用默认值）")
        try:
            new = parse_sm4_key(settings.SM4_KEY_HEX)
            old = legacy_derived_key(settings.SECRET_KEY) if old_derived else parse_sm4_key(old_key or "")
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if old == new:
            raise CommandError("旧密钥与当前 LVZHI_SM4_KEY 相同，无需轮换")

        rotated = current = 0
        unreadable: list[str] = []
        with transaction.atomic():
            for label, fields in ENCRYPTED:
                for row in apps.get_model(label).objects.select_for_update().only("pk", *fields).order_by("pk"):
                    changed = []
                    for name in fields:
                        token = getattr(row, name)
                        if not token:
                            continue
                        try:
                            sm4_decrypt(token, new)
                            current += 1
                            continue
                        except ValueError:
                            pass
                        try:
                            plain = sm4_decrypt(token, old)
                        except ValueError:
                            unreadable.append(f"{row._meta.verbose_name}{row.pk}.{name}")
                            continue
                        setattr(row, name, sm4_encrypt(plain, new))
                        changed.append(name)
                    if changed:
                        rotated += len(changed)
                        if not dry_run:
                            row.save(update_fields=changed)
            if unreadable:
                raise CommandError("以下数据用旧密钥和新密钥都无法解密，已全部回滚：" + "、".join(unreadable[:20]))
            if dry_run:
                transaction.set_rollback(True)
        verb = "将重新加密" if dry_run else "已重新加密"
        self.stdout.write(f"{verb} {rotated} 项；已是新密钥的 {current} 项")
