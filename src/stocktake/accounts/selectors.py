"""Reads about accounts."""

from django.apps import apps
from django.db.models import F, QuerySet

from .models import ApiToken, ScreeningStatus, User


def user_screening_queue() -> QuerySet[User]:
    """Confirmed accounts waiting for a moderator, oldest first."""
    return User.objects.filter(
        is_active=True,
        email_confirmed_at__isnull=False,
        screening_status=ScreeningStatus.PENDING,
    ).order_by("date_joined", "pk")


def user_get(*, user_id: int) -> User:
    """Raises User.DoesNotExist for an unknown id."""
    return User.objects.get(pk=user_id)


def user_is_unconfirmed(*, username: str, password: str) -> bool:
    """Whether these credentials are right but belong to an account still waiting for its
    e-mail confirmation (Django refuses inactive accounts without saying why)."""
    user = User.objects.filter(
        username=username, is_active=False, email_confirmed_at__isnull=True
    ).first()
    return user is not None and user.check_password(password)


def user_membership_list(*, user: User) -> list:
    """The user's organisation memberships with their organisations; empty if the
    organisations app is not installed."""
    if not apps.is_installed("stocktake.organisations") or not hasattr(user, "memberships"):
        return []
    return list(user.memberships.select_related("organisation").order_by("organisation__slug"))


def user_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    """The user's API tokens: those not revoked first, newest first; then the revoked ones,
    latest revoked first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def user_api_token_get(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens. Raises ApiToken.DoesNotExist for someone else's."""
    return user_api_tokens(user=user).get(pk=token_id)
