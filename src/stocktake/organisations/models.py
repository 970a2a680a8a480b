"""Organisations (the stakeholders who lead and partner in initiatives) and their members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stocktake.core.i18n import localized
from stocktake.vocabularies.models import Term


class Organisation(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language."))
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    stakeholder_type = models.ForeignKey(
        Term,
        verbose_name=_("stakeholder type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme__identifier": "stakeholder-types"},
    )
    country = models.ForeignKey(
        Term,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme__identifier": "countries"},
    )
    website = models.URLField(_("website"), blank=True)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.slug


class MembershipRole(models.TextChoices):
    CONTRIBUTOR = "contributor", _("Contributor")
    ADMIN = "admin", _("Organisation admin")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.CONTRIBUTOR
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"
