"""Writes about accounts: registration, e-mail confirmation, screening, profile, personal
API tokens.

Every e-mail goes out once the change is committed, in the recipient's language.
"""

import hmac
from datetime import datetime, timedelta
from functools import partial

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .emails import user_email_send
from .models import ApiToken, ApiTokenScope, ScreeningStatus, User
from .tokens import (
    CONFIRMATION_MAX_AGE,
    api_token_hash,
    api_token_key_id,
    api_token_secret_make,
    confirmation_token_make,
    confirmation_token_user,
)


def _confirmation_send(*, user: User) -> None:
    token = confirmation_token_make(user=user)
    user_email_send(
        user=user,
        template="accounts/emails/confirm_email",
        context={"valid_days": CONFIRMATION_MAX_AGE.days},
        links={
            "confirm_url": lambda: (
                settings.SITE_URL + reverse("accounts:confirm-email", args=[token])
            )
        },
    )


@transaction.atomic
def user_register(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "",
    registration_note: str = "",
) -> User:
    """Create an inactive account and e-mail it a confirmation link.

    Raises ValidationError keyed by argument name; duplicates are found case-insensitively.
    """
    user = User(
        username=User.normalize_username(username.strip()),
        email=User.objects.normalize_email(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=preferred_language or settings.LANGUAGE_CODE,
        registration_note=registration_note.strip(),
        is_active=False,
    )
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if User.objects.filter(username__iexact=user.username).exists():
        errors.setdefault("username", []).append(
            ValidationError(_("This username is taken. Choose another one."), code="duplicate")
        )
    if User.objects.filter(email__iexact=user.email).exists():
        errors.setdefault("email", []).append(
            ValidationError(
                _(
                    "An account with this e-mail address already exists. If it is yours, log "
                    "in or reset your password; if you have not confirmed it yet, ask for a "
                    "new confirmation link."
                ),
                code="duplicate",
            )
        )
    if not user.first_name:
        errors.setdefault("first_name", []).append(
            ValidationError(_("Give your name so moderators know who you are."), code="required")
        )
    if user.preferred_language not in dict(settings.LANGUAGES):
        errors.setdefault("preferred_language", []).append(
            ValidationError(_("Choose one of the languages offered."), code="invalid")
        )
    if not user.registration_note:
        errors.setdefault("registration_note", []).append(
            ValidationError(
                _("Tell the moderators which organisation you work for and your role there."),
                code="required",
            )
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Someone registered the same name or address between the check and the save.
        raise ValidationError(
            _("This username or e-mail address has just been registered. Choose another one.")
        ) from None
    transaction.on_commit(partial(_confirmation_send, user=user))
    return user


@transaction.atomic
def user_resend_confirmation(*, email: str) -> None:
    """Send a new link if an unconfirmed account has this address; silently do nothing
    otherwise, so the answer does not reveal who has an account."""
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        transaction.on_commit(partial(_confirmation_send, user=user))


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Activate the account the link was made for. Confirming twice changes nothing.

    Raises ConfirmationLinkExpired (carrying the address, to offer a new link) or
    ConfirmationLinkInvalid.
    """
    user = confirmation_token_user(token=token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_confirmed_at", "is_active"])
    return user


@transaction.atomic
def user_screen(*, moderator: User, user: User, approve: bool, note: str = "") -> User:
    """Approve or reject a confirmed account and tell its owner, with the moderator's note.
    A screened account can be screened again (from the admin) to change the decision."""
    if not getattr(moderator, "can_moderate", False):
        raise PermissionDenied(_("Only moderators can screen accounts."))
    if moderator.pk == user.pk:
        raise PermissionDenied(_("You cannot screen your own account: another moderator must."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is None:
        raise ValidationError(
            _("This account has not confirmed its e-mail address yet, so it cannot be screened.")
        )
    user.screening_status = ScreeningStatus.APPROVED if approve else ScreeningStatus.REJECTED
    user.screened_at = timezone.now()
    user.screened_by = moderator
    user.screening_note = note.strip()
    user.save(update_fields=["screening_status", "screened_at", "screened_by", "screening_note"])

    transaction.on_commit(
        partial(
            user_email_send,
            user=user,
            template=f"accounts/emails/screening_{'approved' if approve else 'rejected'}",
            context={"note": user.screening_note},
            links={"profile_url": lambda: settings.SITE_URL + reverse("accounts:profile")},
        )
    )
    return user


@transaction.atomic
def user_update_profile(
    *, user: User, first_name: str, last_name: str, preferred_language: str
) -> User:
    errors = {}
    if not first_name.strip():
        errors["first_name"] = _("Give your name so moderators know who you are.")
    if preferred_language not in dict(settings.LANGUAGES):
        errors["preferred_language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return user


def user_unlock_login(*, user: User) -> int:
    """Lift login lockouts on this account (after it proved ownership by resetting its
    password). Returns how many lockout records were removed."""
    return axes_reset(username=user.get_username())


# --- Personal API tokens --------------------------------------------------------------------

# Tokens a person may hold at once (revoked and expired ones do not count).
API_TOKEN_LIMIT = 20
# How stale last_used_at may get: one write a minute per token at most, not one per request.
API_TOKEN_USE_RECORD_INTERVAL = timedelta(minutes=1)
# Compared against when the key id is unknown, so both paths do the same work.
_NO_TOKEN_HASH = api_token_hash("")


def api_token_may_create(*, user) -> bool:
    """Whoever may prepare entries may hold tokens: active accounts a moderator approved,
    and moderators."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_screened or user.can_moderate)
    )


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user`. Returns the row and the whole token, which is stored only
    as a hash: show it to the owner now, it cannot be shown again.

    Raises PermissionDenied for an account not allowed tokens, ValidationError keyed by
    argument name for bad input or when the user already holds API_TOKEN_LIMIT tokens.
    """
    if not api_token_may_create(user=user):
        raise PermissionDenied(
            _(
                "Only accounts a moderator has approved can create API tokens. Your profile "
                "page shows where your account stands."
            )
        )
    # Lock the owner's row so two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    name = name.strip()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [
            _("Give the token a name that says where you use it, for example “reporting script”.")
        ]
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = [
            _("Keep the name to %(count)d characters or fewer.")
            % {"count": ApiToken._meta.get_field("name").max_length}
        ]
    if scope not in ApiTokenScope.values:
        errors["scope"] = [_("Choose read-only or read-and-write access.")]
    now = timezone.now()
    if expires_at is not None and (timezone.is_naive(expires_at) or expires_at <= now):
        errors["expires_at"] = [_("Choose an expiry date in the future, or none.")]
    held = (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .count()
    )
    if held >= API_TOKEN_LIMIT:
        errors["__all__"] = [
            _(
                "You already have %(count)d API tokens, the most one account can hold. Revoke "
                "one you no longer use, then create the new one."
            )
            % {"count": API_TOKEN_LIMIT}
        ]
    if errors:
        raise ValidationError(errors)

    for _attempt in range(3):
        key_id, token = api_token_secret_make()
        try:
            with transaction.atomic():
                api_token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    scope=scope,
                    key_id=key_id,
                    secret_hash=api_token_hash(token),
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue  # A key id drawn twice (48 random bits): draw again.
        return api_token, token
    raise RuntimeError("Could not draw an unused API token key id.")


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke a token for good. Only its owner or a site admin may; revoking twice keeps
    the first date. Raises PermissionDenied."""
    if not (
        user
        and user.is_authenticated
        and user.is_active
        and (user.pk == token.user_id or user.is_site_admin)
    ):
        raise PermissionDenied(_("Only the owner of a token or a site admin can revoke it."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


class ApiTokenRefused(Exception):
    """A request's API token cannot be used. `str(error)` tells the caller why and what to
    do; `code` is one of malformed, invalid, revoked, expired, inactive, not_approved."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def api_token_authenticate(*, token: str) -> ApiToken:
    """The usable token matching this whole token string, with its user; records when it
    was last used (at most once per API_TOKEN_USE_RECORD_INTERVAL). Raises ApiTokenRefused."""
    key_id = api_token_key_id(token)
    if key_id is None:
        raise ApiTokenRefused(
            _(
                "This is not a Stocktake API token. Send “Authorization: Bearer” followed by "
                "the whole token, which starts with “stk_”."
            ),
            code="malformed",
        )
    api_token = ApiToken.objects.select_related("user").filter(key_id=key_id).first()
    expected = api_token.secret_hash if api_token is not None else _NO_TOKEN_HASH
    matches = hmac.compare_digest(expected, api_token_hash(token))
    if api_token is None or not matches:
        raise ApiTokenRefused(
            _(
                "This API token is not valid. Check that you copied all of it, or create a new "
                "one on your profile page."
            ),
            code="invalid",
        )
    now = timezone.now()
    if api_token.is_revoked:
        raise ApiTokenRefused(
            _("This API token has been revoked. Create a new one on your profile page."),
            code="revoked",
        )
    if api_token.is_expired(now=now):
        raise ApiTokenRefused(
            _("This API token expired on %(date)s. Create a new one on your profile page.")
            % {"date": api_token.expires_at.date().isoformat()},
            code="expired",
        )
    if not api_token.user.is_active:
        raise ApiTokenRefused(
            _("The account this API token belongs to is disabled."), code="inactive"
        )
    if not api_token_may_create(user=api_token.user):
        # A moderator has rejected the account since the token was made.
        raise ApiTokenRefused(
            _(
                "The account this API token belongs to is no longer approved by the "
                "moderators, so its tokens do not work."
            ),
            code="not_approved",
        )
    if (
        api_token.last_used_at is None
        or now - api_token.last_used_at >= API_TOKEN_USE_RECORD_INTERVAL
    ):
        # One UPDATE, no lock: of two requests at once, either time will do.
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token
