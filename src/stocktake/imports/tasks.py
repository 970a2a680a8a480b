"""Background work of imports (django-tasks; `stocktake db_worker` runs the queue)."""

from django_tasks import task

from . import services


@task()
def import_check_task(job_id: int) -> None:
    """The dry run of an import: plans every row, writes only the job's report."""
    services.import_job_run_check(job_id=job_id)


@task()
def import_commit_task(job_id: int, user_id: int) -> None:
    """The commit of an import: every row in one transaction, or none."""
    services.import_job_run_commit(job_id=job_id, user_id=user_id)
