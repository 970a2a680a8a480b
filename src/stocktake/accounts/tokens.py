"""Signed e-mail confirmation links: who they were made for, and whether they still hold."""

from datetime import timedelta

from django.core import signing

from .models import User

CONFIRMATION_SALT = "stocktake.accounts.email-confirmation"
CONFIRMATION_MAX_AGE = timedelta(days=3)


class ConfirmationLinkInvalid(Exception):
    """The link was not made by this site, or no longer matches the account."""


class ConfirmationLinkExpired(ConfirmationLinkInvalid):
    """The link is genuine but older than CONFIRMATION_MAX_AGE; `email` is the address it
    was sent to, so a new one can be offered."""

    def __init__(self, email: str = ""):
        self.email = email
        super().__init__(email)


def confirmation_token_make(*, user: User) -> str:
    # The address is signed too: changing it makes older links useless.
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)


def confirmation_token_user(*, token: str) -> User:
    """The account a confirmation link was made for. Raises ConfirmationLinkExpired or
    ConfirmationLinkInvalid."""
    try:
        payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=CONFIRMATION_SALT)
        raise ConfirmationLinkExpired(email=payload.get("email", "")) from None
    except signing.BadSignature:
        raise ConfirmationLinkInvalid from None
    if not isinstance(payload, dict):
        raise ConfirmationLinkInvalid
    user = User.objects.filter(pk=payload.get("user")).first()
    if user is None or user.email != payload.get("email"):
        raise ConfirmationLinkInvalid
    return user
