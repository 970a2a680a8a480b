"""Bulk imports: receive a file, map its columns, dry-run it, then commit it all or nothing.

Only moderators and site admins may import (checked here, for the pages and the command
alike). The commit writes every row in ONE transaction through the same content functions as
the web forms (`validate_content`, `write_revision`), records a lifecycle transition per
entry naming the import, and updates the search index once for the whole batch before the
transaction ends. Any error rolls everything back; the job keeps the per-row report.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stocktake.core.permissions import is_moderator, require
from stocktake.initiatives.content import write_revision
from stocktake.initiatives.models import Initiative, Origin, Revision, RevisionState, Status
from stocktake.initiatives.services import (
    EDITABLE_REVISION_STATES,
    locked_for_update,
    next_revision_number,
    record_transition,
)
from stocktake.organisations.services import organisation_create
from stocktake.search.services import search_index_entries

from . import mapping as column_mapping
from .models import TARGET_STATES, ImportJob, JobStatus
from .planning import CREATE, ERROR, UNCHANGED, UPDATE, Planner, RowPlan
from .progress import ProgressWriter, progress_clear
from .reading import ImportFileError, OpenedFile, data_rows, open_file

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024
REPORT_ROWS = 1000
PLAN_CHUNK = 200  # rows planned together (their entries loaded in one go)
INDEX_CHUNK = 2000
ONLY_MODERATORS = gettext_lazy("Only moderators can import entries.")


class ImportAborted(Exception):
    """Raised inside the commit's transaction to roll it back."""


def _require_moderator(user) -> None:
    require(is_moderator(user), str(ONLY_MODERATORS))


def _directory() -> Path:
    directory = Path(settings.IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def job_path(job: ImportJob) -> Path:
    return Path(settings.IMPORT_DIR) / job.stored_name


def _opened(job: ImportJob) -> OpenedFile:
    return OpenedFile(format=job.format, delimiter=job.delimiter, headers=list(job.headers))


def _delete_file(job: ImportJob) -> None:
    if job.stored_name:
        job_path(job).unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")
        job.stored_name = ""
    progress_clear(job.pk)


def _too_big() -> ImportFileError:
    limit = settings.IMPORT_MAX_BYTES
    return ImportFileError(
        _("The file is larger than %(size)s MB, the most an import takes. Split it.")
        % {"size": f"{limit / (1024 * 1024):g}"}
    )


# --- upload and mapping --------------------------------------------------------------------


def import_job_create(
    *,
    user,
    upload,
    file_name: str,
    default_language: str = "",
    language: str | None = None,
    mapping: dict[str, str] | None = None,
    queue: bool = True,
) -> ImportJob:
    """Store an uploaded file (a file object), check what it is and read its header row.

    Refusals of the file as a whole raise ImportFileError (a ValidationError) and are
    recorded as a failed job. When every column is recognised (or `mapping` covers the
    rest), the dry run is queued at once; otherwise the job waits for the mapping."""
    _require_moderator(user)
    if default_language and default_language not in dict(settings.LANGUAGES):
        raise ValidationError({"default_language": _("Choose one of the languages of this site.")})
    stored_name = f"{secrets.token_hex(16)}.upload"
    path = _directory() / stored_name
    digest, size = hashlib.sha256(), 0
    job = ImportJob(
        created_by=user,
        file_name=Path(str(file_name or "upload")).name[:255],
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        default_language=default_language,
        stored_name=stored_name,
    )
    try:
        with open(path, "wb") as out:
            while chunk := upload.read(CHUNK):
                size += len(chunk)
                if size > settings.IMPORT_MAX_BYTES:
                    raise _too_big()
                digest.update(chunk)
                out.write(chunk)
        job.file_size, job.sha256 = size, digest.hexdigest()
        opened = open_file(path)
    except ImportFileError as error:
        path.unlink(missing_ok=True)
        job.file_size, job.sha256 = size, digest.hexdigest() if size else ""
        job.status, job.error, job.stored_name = JobStatus.FAILED, " ".join(error.messages), ""
        job.format = ""
        job.finished_at = timezone.now()
        job.save()
        raise
    job.format, job.delimiter, job.headers = opened.format, opened.delimiter, opened.headers
    automatic = column_mapping.auto_mapping(opened.headers)
    job.mapping = {**automatic, **(mapping or {})}
    job.save()
    ready = not column_mapping.unmapped(job.headers, job.mapping) and not mapping_problems(job)
    if ready and queue:
        import_job_check(user=user, job=job)
    elif ready:
        job.status = JobStatus.CHECKING
        job.save(update_fields=["status"])
    return job


def mapping_problems(job: ImportJob) -> list[str]:
    problems = column_mapping.validate_mapping(job.headers, job.mapping)
    missing = column_mapping.missing_required(job.mapping, default_language=job.default_language)
    if missing:
        problems.append(
            _("The file lacks required columns: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    return problems


def import_job_set_mapping(
    *, user, job: ImportJob, mapping: dict[str, str], default_language: str | None = None
) -> ImportJob:
    """Record the moderator's choice of field for each column, then queue the dry run.
    Raises ValidationError (nothing read yet) if required columns are missing."""
    _require_moderator(user)
    if job.status not in (JobStatus.MAPPING, JobStatus.PREVIEWED) or not job.stored_name:
        raise ValidationError(_("This import can no longer be changed: upload the file again."))
    job.mapping = {header: mapping.get(header, "") for header in job.headers if header}
    if default_language is not None:
        job.default_language = default_language
    problems = mapping_problems(job)
    if problems:
        raise ValidationError(problems)
    job.save(update_fields=["mapping", "default_language", "updated_at"])
    return import_job_check(user=user, job=job)


# --- the dry run ---------------------------------------------------------------------------


def import_job_check(*, user, job: ImportJob) -> ImportJob:
    """Queue the dry run of a mapped job."""
    from .tasks import import_check_task

    _require_moderator(user)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.CHECKING, processed_rows=0, error=""
    )
    result = import_check_task.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _run_rows(
    job: ImportJob,
    *,
    on_plan: Callable[[RowPlan], None],
    progress: Callable[[int, int], object] | None = None,
) -> dict:
    """Plan every row of the job's file; returns the counts and the report."""
    path, opened = job_path(job), _opened(job)
    total = sum(1 for _row in data_rows(path, opened))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
    return _plan_rows(job, path, opened, total, on_plan=on_plan, progress=progress)


def _chunks(rows, size: int):
    chunk = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _plan_rows(job, path, opened, total, *, on_plan, progress) -> dict:
    planner = Planner(mapping=job.mapping, default_language=job.default_language)
    planner.bind(opened.headers)
    writer = ProgressWriter(job.pk, total, progress)
    writer.advance(0)
    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0, "new_organisations": 0}
    incomplete = 0
    errors, others = [], []
    for chunk in _chunks(data_rows(path, opened), PLAN_CHUNK):
        planner.preload(chunk)
        for number, values in chunk:
            plan = planner.plan(number, values)
            on_plan(plan)
            counts[plan.action] += 1
            new_organisation = plan.new_organisation
            if new_organisation and plan.action != ERROR and not new_organisation.get("_counted"):
                new_organisation["_counted"] = True
                counts["new_organisations"] += 1
            incomplete += bool(plan.incomplete) and plan.action in (CREATE, UPDATE)
            if plan.action == ERROR:
                if len(errors) < REPORT_ROWS:
                    errors.append(plan.report(planner.columns_for))
            elif len(others) < REPORT_ROWS:
                others.append(plan.report(planner.columns_for))
            writer.advance()
    rows = sorted((errors + others)[:REPORT_ROWS], key=lambda row: row["row"])
    return {
        "total": total,
        "counts": counts,
        "incomplete": incomplete,
        "report": {"rows": rows, "shown": len(rows), "total": total},
    }


def _finish(job: ImportJob, status: str, outcome: dict | None, error: str = "") -> None:
    fields = {"status": status, "error": error, "updated_at": timezone.now()}
    if outcome is not None:
        counts = outcome["counts"]
        fields.update(
            total_rows=outcome["total"],
            processed_rows=outcome["total"],
            created_count=counts[CREATE],
            updated_count=counts[UPDATE],
            unchanged_count=counts[UNCHANGED],
            error_count=counts[ERROR],
            new_organisation_count=counts["new_organisations"],
            incomplete_count=outcome["incomplete"],
            report=outcome["report"],
        )
    if status == JobStatus.FAILED and outcome is not None:
        # Rolled back: the record says what was written, which is nothing.
        fields.update(created_count=0, updated_count=0, unchanged_count=0, new_organisation_count=0)
    if status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        fields["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()


def import_job_run_check(
    *, job_id: int, progress: Callable[[int, int], object] | None = None
) -> ImportJob:
    """The dry run (run by the task, or directly by the command): plans every row and writes
    nothing but the job's report."""
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(job.language):
        try:
            outcome = _run_rows(job, on_plan=lambda plan: None, progress=progress)
        except ImportFileError as error:
            _finish(job, JobStatus.FAILED, None, " ".join(error.messages))
            _delete_file(job)
            return job
        except Exception:
            logger.exception("Dry run of import %s failed", job.pk)
            _finish(job, JobStatus.FAILED, None, _("The dry run stopped on an unexpected error."))
            _delete_file(job)
            return job
    _finish(job, JobStatus.PREVIEWED, outcome)
    progress_clear(job.pk)
    return job


# --- the commit ----------------------------------------------------------------------------


def import_job_commit(
    *,
    user,
    job: ImportJob,
    target_state: str,
    run_now: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> ImportJob:
    """Queue the commit of a previewed job without errors, into the chosen state (or, for
    the command line, run it at once with `run_now`)."""
    from .tasks import import_commit_task

    _require_moderator(user)
    if target_state not in TARGET_STATES:
        raise ValidationError(
            {"target_state": _("Choose draft, submitted or published for the imported entries.")}
        )
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.can_commit or not job.stored_name:
            raise ValidationError(
                _("This import cannot be committed: only a dry run without errors can be.")
            )
        if target_state != Status.DRAFT and job.incomplete_count:
            raise ValidationError(
                {
                    "target_state": _(
                        "%(count)d rows are not complete enough to be submitted or published "
                        "(see the preview): import them as drafts, or complete the file."
                    )
                    % {"count": job.incomplete_count}
                }
            )
        job.status, job.target_state = JobStatus.QUEUED, target_state
        job.processed_rows = 0
        job.save(update_fields=["status", "target_state", "processed_rows", "updated_at"])
    if run_now:
        return import_job_run_commit(job_id=job.pk, user_id=user.pk, progress=progress)
    result = import_commit_task.enqueue(job.pk, user.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_job_run_commit(
    *, job_id: int, user_id: int, progress: Callable[[int, int], object] | None = None
) -> ImportJob:
    """Write every row in one transaction (run by the task, or by the command)."""
    from django.contrib.auth import get_user_model

    job = ImportJob.objects.get(pk=job_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    if not is_moderator(user):
        _finish(job, JobStatus.FAILED, None, str(ONLY_MODERATORS))
        _delete_file(job)
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, processed_rows=0)
    with translation.override(job.language):
        writer = _Writer(job=job, user=user)
        outcome = None
        try:
            with transaction.atomic():
                outcome = _run_rows(job, on_plan=writer.on_plan, progress=progress)
                if outcome["counts"][ERROR]:
                    raise ImportAborted
                # The index follows in the same transaction; in chunks, so that a large
                # import does not hold every entry's index document in memory at once.
                for start in range(0, len(writer.touched), INDEX_CHUNK):
                    search_index_entries(ids=writer.touched[start : start + INDEX_CHUNK])
        except ImportAborted:
            _finish(
                job,
                JobStatus.FAILED,
                outcome,
                _("Some rows have errors (see the report): nothing was imported."),
            )
        except ImportFileError as error:
            _finish(job, JobStatus.FAILED, None, " ".join(error.messages))
        except Exception:
            logger.exception("Import %s failed", job.pk)
            _finish(
                job,
                JobStatus.FAILED,
                None,
                _("The import stopped on an unexpected error at row %(row)d: nothing was imported.")
                % {"row": writer.row},
            )
        else:
            _finish(job, JobStatus.SUCCEEDED, outcome)
    _delete_file(job)
    return job


class _Writer:
    """Writes planned rows inside the commit's transaction, as long as none had an error."""

    def __init__(self, *, job: ImportJob, user):
        self.job, self.user = job, user
        self.target = job.target_state
        self.now = timezone.now()
        self.touched: list[int] = []
        self.organisations: dict[str, object] = {}
        self.failed = False
        self.row = 0

    def note(self, plan: RowPlan) -> str:
        return _("Import #%(job)d (%(file)s), row %(row)d") % {
            "job": self.job.pk,
            "file": self.job.file_name,
            "row": plan.number,
        }

    def on_plan(self, plan: RowPlan) -> None:
        self.row = plan.number
        self.write(plan)

    def write(self, plan: RowPlan) -> None:
        if plan.action == ERROR:
            self.failed = True
        if self.failed or plan.action not in (CREATE, UPDATE):
            return
        organisation = plan.organisation
        if organisation is None and plan.new_organisation:
            organisation = self.organisations.get(plan.organisation_key)
            if organisation is None:
                spec = plan.new_organisation
                organisation = organisation_create(
                    names=spec["names"],
                    stakeholder_type=spec["stakeholder_type"],
                    country=spec["country"],
                    acronym=spec["acronym"],
                    actor=self.user,  # checked as the moderator; not made its admin
                )
                self.organisations[plan.organisation_key] = organisation
        if plan.action == CREATE:
            initiative = self._create(plan, organisation)
        else:
            initiative = self._update(plan)
        self.touched.append(initiative.pk)

    def _revision_state(self, revision: Revision) -> None:
        """The chosen state on the revision, before write_revision saves it."""
        if self.target == Status.PUBLISHED:
            revision.state = RevisionState.PUBLISHED
        elif self.target == Status.SUBMITTED:
            revision.state = RevisionState.SUBMITTED
            revision.submitted_by, revision.submitted_at = self.user, self.now
        elif revision.state not in EDITABLE_REVISION_STATES:
            revision.state = RevisionState.DRAFT

    def _entry_state(self, initiative: Initiative, revision: Revision) -> None:
        """The chosen state on the entry, as the lifecycle services would leave it."""
        if self.target == Status.PUBLISHED:
            if initiative.published_revision_id and initiative.published_revision_id != revision.pk:
                Revision.objects.filter(pk=initiative.published_revision_id).update(
                    state=RevisionState.SUPERSEDED
                )
            initiative.status = Status.PUBLISHED
            initiative.published_revision = revision
            initiative.working_revision = None
            initiative.published_at = initiative.published_at or self.now
            initiative.last_published_at = self.now
            initiative.last_confirmed_at = self.now
        else:
            initiative.working_revision = revision
            if self.target == Status.SUBMITTED:
                initiative.submitted_at = self.now
                if initiative.status != Status.PUBLISHED:
                    initiative.status = Status.SUBMITTED
        initiative.save()

    def _create(self, plan: RowPlan, organisation) -> Initiative:
        initiative = Initiative.objects.create(
            organisation=organisation,
            created_by=self.user,
            status=Status.DRAFT,
            origin=Origin.IMPORTED,
            external_ids={"source": plan.external_id} if plan.external_id else {},
        )
        revision = Revision(initiative=initiative, number=1, created_by=self.user)
        self._revision_state(revision)
        write_revision(revision, plan.clean)
        self._entry_state(initiative, revision)
        record_transition(
            initiative,
            action="import",
            from_status="",
            actor=self.user,
            note=self.note(plan),
            revision=revision,
        )
        return initiative

    def _update(self, plan: RowPlan) -> Initiative:
        initiative = locked_for_update(plan.initiative)
        from_status = initiative.status
        if plan.external_id:
            initiative.external_ids = {**initiative.external_ids, "source": plan.external_id}
        revision = initiative.working_revision
        if revision is not None and revision.state in EDITABLE_REVISION_STATES:
            # An editor with this draft open must reload: take its version.
            Revision.objects.filter(pk=revision.pk).update(lock=F("lock") + 1)
            revision.refresh_from_db()
        else:
            revision = Revision(
                initiative=initiative, number=next_revision_number(initiative), created_by=self.user
            )
        self._revision_state(revision)
        write_revision(revision, plan.clean)
        self._entry_state(initiative, revision)
        record_transition(
            initiative,
            action="import",
            from_status=from_status,
            actor=self.user,
            note=self.note(plan),
            revision=revision,
        )
        return initiative


# --- housekeeping --------------------------------------------------------------------------


def import_job_discard(*, user, job: ImportJob) -> None:
    """Give up a job before its commit: the file goes, the record stays (as failed)."""
    _require_moderator(user)
    if job.status not in (JobStatus.MAPPING, JobStatus.PREVIEWED):
        raise ValidationError(_("Only an import that has not been committed can be cancelled."))
    _finish(job, JobStatus.FAILED, None, _("Cancelled before the commit."))
    _delete_file(job)
