"""Controlled vocabularies: versioned schemes of terms, and crosswalks between schemes.

Labels and descriptions are per-language maps ({"ar": …, "en": …, "fr": …}); see
docs/decisions/0002-multilingual-text.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stocktake.core.i18n import localized


class Scheme(models.Model):
    identifier = models.SlugField(_("identifier"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    labels = models.JSONField(_("labels"), default=dict)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    source = models.TextField(_("source"), blank=True)
    parent_scheme = models.ForeignKey(
        "self",
        verbose_name=_("scheme of parent terms"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_schemes",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "identifier"]
        verbose_name = _("vocabulary scheme")
        verbose_name_plural = _("vocabulary schemes")

    def __str__(self) -> str:
        return self.identifier

    @property
    def label(self) -> str:
        return localized(self.labels) or self.identifier

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class Term(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=32)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    labels = models.JSONField(_("labels"), default=dict)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    extra = models.JSONField(_("extra facts"), default=dict, blank=True)
    # Terms are never deleted by a new vocabulary version: entries may refer to them.
    deprecated = models.BooleanField(_("deprecated"), default=False)

    class Meta:
        ordering = ["scheme", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="unique_term_code_per_scheme")
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"{self.scheme_id}:{self.code}"

    @property
    def label(self) -> str:
        return localized(self.labels) or self.code

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class Crosswalk(models.Model):
    identifier = models.SlugField(_("identifier"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    labels = models.JSONField(_("labels"), default=dict)
    source = models.TextField(_("source"), blank=True)
    from_scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="crosswalks_from"
    )
    to_scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="crosswalks_to")

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("crosswalk")
        verbose_name_plural = _("crosswalks")

    def __str__(self) -> str:
        return self.identifier

    @property
    def label(self) -> str:
        return localized(self.labels) or self.identifier


class CrosswalkLink(models.Model):
    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="links")
    from_term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="outgoing_links")
    to_term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="incoming_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["crosswalk", "from_term", "to_term"], name="unique_crosswalk_link"
            )
        ]
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")

    def __str__(self) -> str:
        return f"{self.crosswalk_id}: {self.from_term_id} → {self.to_term_id}"
