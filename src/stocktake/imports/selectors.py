"""Reads about imports: the list of jobs, one job, and its progress."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from stocktake.core.permissions import is_moderator

from .models import ImportJob, JobStatus
from .progress import progress_read


def import_job_list(*, user, limit: int = 50) -> list[ImportJob]:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators can import entries."))
    return list(ImportJob.objects.select_related("created_by")[:limit])


def import_job_get(*, user, pk: int) -> ImportJob:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators can import entries."))
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)


def import_job_progress(job: ImportJob) -> dict:
    """{"processed", "total", "percent"}: from the progress file while a run goes on."""
    live = progress_read(job.pk) if job.is_active else None
    processed = live["processed"] if live else job.processed_rows
    total = live["total"] if live else job.total_rows
    if job.status in (JobStatus.SUCCEEDED, JobStatus.PREVIEWED):
        processed = total
    percent = round(100 * processed / total) if total else 0
    return {"processed": processed, "total": total, "percent": min(percent, 100)}
