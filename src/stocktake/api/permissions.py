"""What a personal API token allows: read-only tokens only read."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from stocktake.accounts.models import ApiToken


class TokenScope(BasePermission):
    """Safe methods always pass, and so does anything not authenticated by a token (other
    permissions decide those). An unsafe method needs a read-write token.

    In DEFAULT_PERMISSION_CLASSES beside AllowAny; write views use
    `permission_classes = [IsAuthenticated, TokenScope]`."""

    message = _("This token is read-only; create a read-write token on your profile page.")
    code = "read_only_token"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.allows_write
