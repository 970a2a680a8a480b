"""Background work of entries (django-tasks; `stocktake db_worker` runs the queue)."""

from django_tasks import task

from . import services


@task()
def send_update_reminders_task() -> dict:
    """The yearly call for updates: e-mail the owners of entries not confirmed for twelve
    months. Returns the counts (and the ids that failed), kept with the task's result."""
    report = services.initiative_send_update_reminders()
    return {"reminded": report.reminded, "failed": len(report.failed), "failed_ids": report.failed}
