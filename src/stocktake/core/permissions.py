"""Shared permission helpers. Services enforce roles; templates only reflect them."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool, message: str) -> None:
    """Refuse the action with a message a person can act on."""
    if not allowed:
        raise PermissionDenied(message)


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.can_moderate)
