"""People with an account. Roles: contributor and organisation admin come from memberships
(see the organisations app); moderator is a flag on the account; site admin is a superuser."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScreeningStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for screening")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    # New accounts wait for a moderator before they can submit (the WSIS Stocktaking practice).
    screening_status = models.CharField(
        _("screening"),
        max_length=16,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.PENDING,
    )
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    screened_by = models.ForeignKey(
        "self",
        verbose_name=_("screened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    screening_note = models.TextField(_("screening note"), blank=True)
    is_moderator = models.BooleanField(
        _("moderator"),
        default=False,
        help_text=_("Moderators review submissions and screen new accounts."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    # What the person tells moderators at registration: their organisation and role.
    registration_note = models.TextField(_("organisation and role"), blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_screened(self) -> bool:
        return self.screening_status == ScreeningStatus.APPROVED

    @property
    def language(self) -> str:
        """The language to write to this person in: their choice, if the site still offers it."""
        if self.preferred_language in dict(settings.LANGUAGES):
            return self.preferred_language
        return settings.LANGUAGE_CODE

    @property
    def is_site_admin(self) -> bool:
        return self.is_superuser

    @property
    def can_moderate(self) -> bool:
        return self.is_active and (self.is_moderator or self.is_superuser)


# Every API token starts with this, so secret scanners and people can recognise one.
API_TOKEN_PREFIX = "stk"  # noqa: S105 (a public marker, not a secret)


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read-write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is kept: the secret is shown
    once, when the token is made. `key_id` is public and finds the row; it is also what the
    owner sees in the list of their tokens."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("access"), max_length=16, choices=ApiTokenScope.choices)
    key_id = models.CharField(_("key"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=ApiTokenScope.values),
                name="accounts_apitoken_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        """The start of the token as its owner sees it; not secret."""
        return f"{API_TOKEN_PREFIX}_{self.key_id}"

    @property
    def allows_write(self) -> bool:
        return self.scope == ApiTokenScope.READ_WRITE

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, *, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired()
