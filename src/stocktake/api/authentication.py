"""Personal API tokens on the API: `Authorization: Bearer stk_…`.

The rules (hash lookup, revocation, expiry, disabled accounts) live in
stocktake.accounts.services.api_token_authenticate; this class only reads the header and
turns a refusal into a 401 problem with a `WWW-Authenticate: Bearer` challenge.
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from stocktake.accounts.services import ApiTokenRefused, api_token_authenticate

KEYWORD = "Bearer"
REALM = "api"


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates a request carrying `Authorization: Bearer <token>`; `request.auth` is
    then the ApiToken. Requests without a Bearer header are left to the next class."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        # Marks the challenge as RFC 6750's invalid_token (see authenticate_header).
        request.api_token_refused = True
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _(
                    "Send “Authorization: Bearer” followed by the whole token, with one space "
                    "between them and nothing after the token."
                )
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            token = ""
        try:
            api_token = api_token_authenticate(token=token)
        except ApiTokenRefused as refusal:
            raise exceptions.AuthenticationFailed(str(refusal), code=refusal.code) from None
        request.api_token_refused = False
        return api_token.user, api_token

    def authenticate_header(self, request):
        if getattr(request, "api_token_refused", False):
            return f'{KEYWORD} realm="{REALM}", error="invalid_token"'
        return f'{KEYWORD} realm="{REALM}"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Declares the bearer scheme in the OpenAPI document."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "stk_<key id>_<secret>",
            "description": (
                "A personal API token, created on your profile page. Read-only tokens may "
                "only read (GET, HEAD, OPTIONS); read-write tokens may also change data the "
                "account may change."
            ),
        }
