"""Writes about accounts: registration, e-mail confirmation, screening, profile.

Every e-mail goes out once the change is committed, in the recipient's language.
"""

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
from .models import ScreeningStatus, User
from .tokens import CONFIRMATION_MAX_AGE, confirmation_token_make, confirmation_token_user


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
