"""API rate limits: per token for token requests, per account for every signed-in request
(session or token, so many tokens do not multiply an account's budget), per address for
anonymous callers.

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (settings: API_ANON_RATE,
API_TOKEN_RATE, API_USER_RATE) and are read when a request comes, so a changed setting
applies at once. Counters live in the default cache: with several app processes, point
CACHE_URL at a cache they share. The client address is REMOTE_ADDR unless
REST_FRAMEWORK["NUM_PROXIES"] (API_NUM_PROXIES) says how many proxies add X-Forwarded-For.
"""

import hashlib
import ipaddress

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from stocktake.accounts.models import ApiToken

# IPv6 users usually hold a whole /64: count it as one address.
IPV6_PREFIX_LENGTH = 64


class _SettingsRateThrottle(SimpleRateThrottle):
    """Reads the rate for `scope` from the current settings (DRF reads them once, at
    import), so override_settings and reloaded settings take effect."""

    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        if self.scope not in rates:
            raise ImproperlyConfigured(
                f'REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no rate for "{self.scope}".'
            )
        return rates[self.scope]

    def key_for(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


def client_address(throttle: SimpleRateThrottle, request) -> str:
    """The caller's address as a short cache-safe string: IPv4 as is, IPv6 as its /64, and
    anything unparsable (a forged X-Forwarded-For) as a hash of it."""
    ident = throttle.get_ident(request) or ""
    try:
        address = ipaddress.ip_address(ident.strip())
    except ValueError:
        return "x" + hashlib.sha256(ident.encode(errors="replace")).hexdigest()[:32]
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX_LENGTH}", strict=False))
    return str(address)


class AnonymousAddressThrottle(_SettingsRateThrottle):
    """Anonymous callers, per address (setting API_ANON_RATE)."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.key_for(client_address(self, request))


class ApiTokenThrottle(_SettingsRateThrottle):
    """Token requests, per token (setting API_TOKEN_RATE)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.key_for(str(request.auth.pk))


class UserThrottle(_SettingsRateThrottle):
    """Signed-in requests, per account, whether by session or by any of its tokens
    (setting API_USER_RATE)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.key_for(str(request.user.pk))
