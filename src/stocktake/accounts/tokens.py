"""Signed e-mail confirmation links: who they were made for, and whether they still hold.
And the secrets of personal API tokens: how they are made, recognised and hashed."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.core import signing

from .models import API_TOKEN_PREFIX, User

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


# --- Personal API tokens --------------------------------------------------------------------
# A token reads stk_<key id>_<secret>: the key id (48 random bits, hex) finds the row, the
# secret (256 random bits, base64url) proves possession. With that much entropy a plain
# SHA-256 is enough to store it: there is nothing to guess, so no slow hash is needed.
API_TOKEN_KEY_ID_BYTES = 6
API_TOKEN_SECRET_BYTES = 32
API_TOKEN_PATTERN = re.compile(
    rf"{API_TOKEN_PREFIX}_(?P<key_id>[0-9a-f]{{{API_TOKEN_KEY_ID_BYTES * 2}}})_[A-Za-z0-9_-]{{43}}"
)
# No valid token is longer; anything longer is refused before the regular expression runs.
API_TOKEN_MAX_LENGTH = len(API_TOKEN_PREFIX) + 2 + API_TOKEN_KEY_ID_BYTES * 2 + 43


def api_token_secret_make() -> tuple[str, str]:
    """A new (key id, whole token) pair. The whole token is shown once to its owner."""
    key_id = secrets.token_hex(API_TOKEN_KEY_ID_BYTES)
    token = f"{API_TOKEN_PREFIX}_{key_id}_{secrets.token_urlsafe(API_TOKEN_SECRET_BYTES)}"
    return key_id, token


def api_token_hash(token: str) -> str:
    """What is stored for a token: the SHA-256 of all of it, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_key_id(token: str) -> str | None:
    """The key id of a well-formed token; None for anything else."""
    if len(token) > API_TOKEN_MAX_LENGTH:
        return None
    match = API_TOKEN_PATTERN.fullmatch(token)
    return match["key_id"] if match else None
