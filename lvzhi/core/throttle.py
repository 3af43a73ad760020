"""Slowing down password guessing without locking the owner out.

django-axes counts failures per username AND source address (AXES_LOCKOUT_PARAMETERS), so
someone guessing from one address locks only that address out, not the account's owner who
logs in from another. Before that lockout, from the 3rd failure on, further attempts from the
same address for the same username are refused unchecked for a while that doubles with each
failure (10 s, 20 s, ... LVZHI_LOGIN_DELAY_SECONDS), both on the login page and for API tokens.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when the request came from a proxy on this machine
    (nginx → gunicorn on 127.0.0.1), the address that proxy appended to X-Forwarded-For.
    Entries a client wrote itself come before it and are ignored."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_HOPS
    remote_ip = _ip(remote)
    if hops > 0 and remote_ip and ipaddress.ip_address(remote_ip).is_loopback:
        chain = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(chain) >= hops:
            forwarded = _ip(chain[-hops])
            if forwarded:
                return forwarded
    return remote_ip or remote


def retry_after(request: HttpRequest, username: str | None) -> int:
    """Seconds before this address may try this username again (0 = now)."""
    base = settings.LOGIN_DELAY_SECONDS
    if not username or base <= 0 or not settings.AXES_ENABLED:
        return 0
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt

    now = timezone.now()
    since = now - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME or 24))
    row = (AccessAttempt.objects
           .filter(username=username, ip_address=get_client_ip_address(request), attempt_time__gte=since)
           .aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time")))
    failures, last = row["failures"] or 0, row["last"]
    after = settings.LOGIN_DELAY_AFTER_FAILURES
    if failures < after or failures >= settings.AXES_FAILURE_LIMIT or last is None:
        return 0  # too few to slow down, or enough for axes's own lockout to answer
    wait = base * 2 ** (failures - after)
    remaining = (last + dt.timedelta(seconds=wait) - now).total_seconds()
    return math.ceil(remaining) if remaining > 0 else 0


def delay_message(seconds: int) -> str:
    return f"登录失败次数较多，为防止密码被猜测，请{seconds}秒后再试。"
