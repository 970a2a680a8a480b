"""People with an account. Roles: contributor and organisation admin come from memberships
(see the organisations app); moderator is a flag on the account; site admin is a superuser."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
