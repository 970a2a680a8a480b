"""The record of every bulk import: who sent which file, how its columns were read, what the
dry run found and what the commit did. Entries themselves are written by the initiatives'
content functions (see services.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stocktake.initiatives.models import Status


class JobStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for the column mapping")
    CHECKING = "checking", _("Dry run in progress")
    PREVIEWED = "previewed", _("Previewed")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


# The states a moderator may give imported entries.
TARGET_STATES = (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED)
ACTIVE_STATUSES = (JobStatus.CHECKING, JobStatus.QUEUED, JobStatus.RUNNING)


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=FileFormat.choices)
    # Name of the stored upload inside settings.IMPORT_DIR; emptied once the file is deleted.
    stored_name = models.CharField(max_length=100, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)

    # The interface language of the person who uploaded: the report is written in it.
    language = models.CharField(_("language"), max_length=8)
    default_language = models.CharField(_("default original language"), max_length=8, blank=True)
    headers = models.JSONField(_("file columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    target_state = models.CharField(
        _("state of imported entries"), max_length=20, choices=Status.choices, blank=True
    )

    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.MAPPING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    new_organisation_count = models.PositiveIntegerField(_("new organisations"), default=0)
    incomplete_count = models.PositiveIntegerField(
        _("rows not complete enough to submit"), default=0
    )
    # {"rows": [{"row", "action", "title", "entry", "organisation", "new_organisation",
    #            "errors": [{"field", "column", "message"}], "incomplete": [...]}],
    #  "shown": n, "total": n}
    report = models.JSONField(_("report"), default=dict, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def can_commit(self) -> bool:
        return self.status == JobStatus.PREVIEWED and self.error_count == 0 and self.total_rows > 0
