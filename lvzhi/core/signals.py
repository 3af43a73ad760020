"""Receivers that keep tokens and the audit chain in step with accounts.

* A password change, a deactivation or a role change revokes the account's API tokens.
* Enrolling an authenticator app revokes the tokens issued before it (they were obtained
  with the password alone).
* Every login of a superuser (createsuperuser, the break-glass account) is an audited event.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.core import audit, tokens
from lvzhi.core.models import User

WATCHED = {"role", "is_active"}


@receiver(pre_save, sender=User, dispatch_uid="lvzhi_user_before")
def remember_account(sender, instance: User, raw: bool = False, update_fields=None, **kwargs) -> None:
    instance._lvzhi_before = None
    if raw or instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    instance._lvzhi_before = User.objects.filter(pk=instance.pk).values("role", "is_active").first()


@receiver(post_save, sender=User, dispatch_uid="lvzhi_user_after")
def revoke_on_account_change(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or created:
        return
    before = getattr(instance, "_lvzhi_before", None) or {}
    reason = ""
    if before.get("is_active") and not instance.is_active:
        reason = tokens.DEACTIVATED
    elif before and before.get("role") != instance.role:
        reason = tokens.ROLE_CHANGED
    elif getattr(instance, "_lvzhi_password_set", False):
        reason = tokens.PASSWORD_CHANGED
    if reason:
        tokens.revoke_all(instance, reason)


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="lvzhi_device_before")
def remember_device(sender, instance: TOTPDevice, raw: bool = False, update_fields=None, **kwargs) -> None:
    instance._lvzhi_was_confirmed = None
    if raw or instance.pk is None or (update_fields is not None and "confirmed" not in update_fields):
        return
    instance._lvzhi_was_confirmed = (TOTPDevice.objects.filter(pk=instance.pk)
                                     .values_list("confirmed", flat=True).first())


@receiver(post_save, sender=TOTPDevice, dispatch_uid="lvzhi_device_after")
def revoke_on_enrolment(sender, instance: TOTPDevice, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not instance.confirmed:
        return
    if created or getattr(instance, "_lvzhi_was_confirmed", None) is False:
        tokens.revoke_all(instance.user, tokens.OTP_ENROLLED)


@receiver(user_logged_in, dispatch_uid="lvzhi_superuser_login")
def audit_superuser_login(sender, request, user: User, **kwargs) -> None:
    if not getattr(user, "is_superuser", False):
        return
    from lvzhi.core.throttle import client_ip

    audit.record(audit.ACCOUNT, user.pk, "superuser_login", "超级用户登录（应急账户）", actor=user,
                 target=user, payload={"ip": client_ip(request) if request is not None else "",
                                       "path": getattr(request, "path", "")})
