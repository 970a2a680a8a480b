"""Stocktaking entries (initiatives), their revisions and their recorded lifecycle.

An initiative is the stable identity and the lifecycle state; its content lives in revisions.
Visitors see `published_revision`; contributors work on `working_revision`, which, for a
published entry, is a pending revision that a moderator must approve. Texts are per-language
maps (see docs/decisions/0002-multilingual-text.md), with the original language recorded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stocktake.core.i18n import localized
from stocktake.organisations.models import Organisation
from stocktake.vocabularies.models import Term

# The per-language text fields of an entry, in form and display order.
TEXT_FIELDS = (
    "title",
    "summary",
    "description",
    "objectives",
    "results",
    "challenges",
    "future_plans",
)
# Texts where light formatting (Markdown) is allowed; shown sanitised.
FORMATTED_TEXT_FIELDS = ("description", "objectives", "results", "challenges", "future_plans")

# Classification fields held as links to vocabulary terms: field name -> scheme identifier.
TERM_FIELDS = {
    "action_lines": "wsis-action-lines",
    "sdg_goals": "sdg-goals",
    "sdg_targets": "sdg-targets",
    "gdc_objectives": "gdc-objectives",
    "wsis_targets": "wsis-targets",
    "technologies": "technologies",
    "beneficiary_groups": "beneficiary-groups",
    "countries": "countries",
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Origin(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IMPORTED = "imported", _("Imported")


class Initiative(models.Model):
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.SUBMITTED
    )
    external_ids = models.JSONField(_("external identifiers"), default=dict, blank=True)
    is_good_practice = models.BooleanField(_("good practice"), default=False)
    published_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    working_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(
        _("last confirmed"), null=True, blank=True, db_index=True
    )
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    # A duplicate merged by a moderator (see merging.py): archived, and its address leads
    # visitors to the entry it was merged into.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
    )

    class Meta:
        ordering = ["-last_published_at", "-pk"]
        # The browse list's orders; published_revision makes them cover its count too.
        indexes = [
            models.Index(
                fields=["status", "-last_published_at", "published_revision"],
                name="initiative_updated_idx",
            ),
            models.Index(
                fields=["status", "-published_at", "published_revision"],
                name="initiative_newest_idx",
            ),
        ]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        revision = self.published_revision or self.working_revision
        return revision.title_text if revision else f"#{self.pk}"


class RevisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    DISCARDED = "discarded", _("Discarded")


class Revision(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=20, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    # Optimistic concurrency: a save must name the lock it read; a stale one is refused.
    lock = models.PositiveIntegerField(default=1)
    original_language = models.CharField(_("original language"), max_length=8)

    title = models.JSONField(_("title"), default=dict)
    summary = models.JSONField(_("short summary"), default=dict, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    objectives = models.JSONField(_("objectives"), default=dict, blank=True)
    results = models.JSONField(_("results and impact"), default=dict, blank=True)
    challenges = models.JSONField(_("challenges and lessons"), default=dict, blank=True)
    future_plans = models.JSONField(_("future plans"), default=dict, blank=True)

    partners = models.JSONField(
        _("partners"),
        default=list,
        blank=True,
        help_text=_("Each partner: name, stakeholder type code, country code."),
    )
    initiative_type = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implementation_status = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    coverage = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    funding_currency = models.CharField(_("currency"), max_length=3, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    links = models.JSONField(_("other links"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["initiative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="unique_revision_number")
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.initiative_id} v{self.number}"

    @property
    def title_text(self) -> str:
        return localized(self.title) or localized(self.title, self.original_language)

    def text(self, field: str, language: str | None = None) -> str:
        return localized(getattr(self, field), language)


class RevisionTerm(models.Model):
    """A classification of a revision by a vocabulary term (Action Line, SDG target, …)."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="term_links")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="revision_links")
    is_primary = models.BooleanField(_("primary"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "term"], name="unique_revision_term")
        ]
        indexes = [models.Index(fields=["term", "revision"])]

    def __str__(self) -> str:
        return f"{self.revision} → {self.term}"


class RevisionImage(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="initiatives/%Y/%m/")
    alt_text = models.JSONField(_("text alternative"), default=dict, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.image.name


class Transition(models.Model):
    """One recorded step of the lifecycle: who did what, when, with which note."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="transitions")
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.action} ({self.from_status} → {self.to_status})"
