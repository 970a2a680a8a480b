"""`stocktake import FILE --user EMAIL`: the same dry run and all-or-nothing commit as the
moderator's pages, run in this process with a progress bar on the terminal."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from stocktake.imports import services
from stocktake.imports.mapping import FIELDS, unmapped
from stocktake.imports.models import TARGET_STATES, JobStatus
from stocktake.imports.template import template_csv, template_xlsx


class _Bar:
    """A tqdm bar for a run whose row count is known only once it starts."""

    def __init__(self, label: str, stream):
        self.bar = tqdm(desc=label, unit=" rows", file=stream, dynamic_ncols=True)

    def __call__(self, count: int, total: int) -> None:
        if self.bar.total != total:
            self.bar.total = total
            self.bar.refresh()
        self.bar.update(count)

    def close(self) -> None:
        self.bar.close()


class Command(BaseCommand):
    help = "Import entries from a CSV (UTF-8) or XLSX file: a dry run, then all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The CSV or XLSX file to import.")
        parser.add_argument("--user", help="E-mail address of the moderator importing.")
        parser.add_argument(
            "--state",
            choices=[str(state) for state in TARGET_STATES],
            default="draft",
            help="State of the imported entries (default: draft).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="Read the column HEADER as FIELD (repeat; empty FIELD ignores the column).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Original language of rows whose original_language cell is empty.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--template", metavar="OUT", help="Write the import template (.csv or .xlsx) and stop."
        )

    def handle(self, *args, **options):
        if options["template"]:
            return self._template(Path(options["template"]))
        if not options["file"] or not options["user"]:
            raise CommandError("Give the file to import and --user EMAIL.")
        user = get_user_model().objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {options['user']}.")
        mapping = self._mapping(options["map"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            with open(path, "rb") as upload:
                job = services.import_job_create(
                    user=user,
                    upload=upload,
                    file_name=path.name,
                    default_language=options["language"] or "",
                    mapping=mapping,
                    queue=False,
                )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if job.status == JobStatus.MAPPING:
            self._explain_mapping(job)
            raise CommandError("Map the columns with --map and run again.")

        bar = _Bar("Dry run", self.stderr._out)
        job = services.import_job_run_check(job_id=job.pk, progress=bar)
        bar.close()
        if job.status == JobStatus.FAILED:
            raise CommandError(job.error)
        self._report(job)
        if job.error_count:
            raise CommandError(f"{job.error_count} rows have errors: nothing was imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run only: nothing was written.")
            services.import_job_discard(user=user, job=job)
            return
        bar = _Bar("Import", self.stderr._out)
        try:
            job = services.import_job_commit(
                user=user, job=job, target_state=options["state"], run_now=True, progress=bar
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        finally:
            bar.close()
        if job.status != JobStatus.SUCCEEDED:
            self._report(job)
            raise CommandError(job.error or "The import failed: nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Import #{job.pk} done: {job.created_count} created, {job.updated_count} "
                f"updated, {job.unchanged_count} unchanged ({job.target_state})."
            )
        )

    def _template(self, out: Path) -> None:
        if out.suffix.lower() == ".xlsx":
            out.write_bytes(template_xlsx())
        elif out.suffix.lower() == ".csv":
            out.write_bytes(template_csv())
        else:
            raise CommandError("Name the template file .csv or .xlsx.")
        self.stdout.write(f"Wrote the import template to {out}.")

    def _mapping(self, pairs: list[str]) -> dict[str, str]:
        mapping = {}
        for pair in pairs:
            header, sep, field = pair.partition("=")
            if not sep or not header.strip():
                raise CommandError(f'Write --map as "File header=field", not {pair!r}.')
            field = field.strip()
            if field and field not in FIELDS:
                raise CommandError(f"{field!r} is not an import field. Fields: {', '.join(FIELDS)}")
            mapping[header.strip()] = field
        return mapping

    def _explain_mapping(self, job) -> None:
        unknown = unmapped(job.headers, job.mapping)
        if unknown:
            self.stderr.write("Columns not recognised: " + ", ".join(unknown))
        for problem in services.mapping_problems(job):
            self.stderr.write(problem)

    def _report(self, job) -> None:
        self.stdout.write(
            f"{job.total_rows} rows: {job.created_count} to create, {job.updated_count} to "
            f"update, {job.unchanged_count} unchanged, {job.error_count} with errors."
        )
        for row in (job.report or {}).get("rows", []):
            for error in row["errors"]:
                column = f" [{error['column']}]" if error.get("column") else ""
                self.stdout.write(f"row {row['row']}{column}: {error['message']}", self.style.ERROR)
