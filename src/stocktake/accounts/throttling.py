"""A second limit on failed logins, per network address whatever the account name.

django-axes locks one account name from one address after a few failures (settings
AXES_*). Trying many account names from one address would never trip that lock, so failed
logins are also counted per address, in the cache (shared between processes when CACHE_URL
names a shared cache), and past LOGIN_ADDRESS_FAILURE_LIMIT within the cool-off time that
address may not log in at all until the count expires."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

_KEY = "login-failures:{}"


def _key(request) -> str | None:
    address = get_client_ip_address(request)
    return _KEY.format(address) if address else None


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off time."""
    key = _key(request)
    return (cache.get(key) or 0) if key else 0


def address_locked(request) -> bool:
    return address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def record_address_failure(sender, credentials, request=None, **kwargs) -> None:
    """`user_login_failed` receiver: one more failure for the address (the count expires
    a cool-off time after the first failure)."""
    key = _key(request) if request is not None else None
    if key is None:
        return
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, timeout)
