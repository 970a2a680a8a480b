"""Hostile and unusual files: refused with a message a person can act on, nothing written."""

import io
import os
import zipfile

import pytest
from openpyxl import Workbook

from stocktake.imports.models import ImportJob, JobStatus
from stocktake.imports.reading import ImportFileError
from stocktake.imports.services import import_job_commit
from stocktake.initiatives.content import read_revision
from stocktake.initiatives.models import Initiative
from stocktake.organisations.models import Organisation

from .helpers import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def refused(upload, moderator, data: bytes, name: str, match: str) -> ImportJob:
    before = (Initiative.objects.count(), Organisation.objects.count())
    with pytest.raises(ImportFileError, match=match):
        upload(moderator, data, name=name)
    job = ImportJob.objects.latest("pk")
    assert job.status == JobStatus.FAILED and job.error  # the attempt is recorded
    assert not job.stored_name
    assert (Initiative.objects.count(), Organisation.objects.count()) == before
    return job


def test_csv_not_in_utf8_is_refused_with_how_to_save_it(moderator, upload, import_dir):
    data = csv_bytes([row(organisation_en="Ministère de l'Économie")]).decode().encode("cp1252")
    job = refused(upload, moderator, data, "entries.csv", "CSV UTF-8")
    assert job.file_name == "entries.csv" and job.sha256
    assert not any(import_dir.iterdir())  # the upload is not kept


def test_utf16_csv_is_refused_with_the_same_advice(moderator, upload):
    data = csv_bytes([row()]).decode().encode("utf-16")
    refused(upload, moderator, data, "entries.csv", "CSV UTF-8")


def test_csv_with_bom_and_semicolons_or_tabs_is_read(moderator, upload):
    for delimiter in (";", "\t"):
        job = upload(moderator, csv_bytes([row()], delimiter=delimiter, bom=True))
        assert job.status == JobStatus.PREVIEWED and job.error_count == 0, (job.error, job.report)
        assert job.delimiter == delimiter
        assert "external_id" in job.headers  # the byte-order mark is not part of a header


def test_file_over_the_size_limit_is_refused(moderator, upload, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = csv_bytes([row(description_en="x" * 2000)])
    refused(upload, moderator, data, "big.csv", "larger than")


def test_file_with_too_many_rows_is_refused(moderator, upload, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [row(external_id=f"E{n}", title_en=f"Title {n}") for n in range(4)]
    job = upload(moderator, csv_bytes(rows))
    assert job.status == JobStatus.FAILED
    assert "more than 3 rows" in job.error
    assert Initiative.objects.count() == 0


def test_random_bytes_named_xlsx_are_refused(moderator, upload):
    refused(upload, moderator, os.urandom(4096) + b"\x00", "entries.xlsx", "neither a CSV")


def test_a_zip_that_is_not_a_workbook_is_refused(moderator, upload):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(upload, moderator, out.getvalue(), "entries.xlsx", "not a valid Excel workbook")


def test_a_damaged_workbook_is_refused(moderator, upload):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")
    refused(upload, moderator, out.getvalue(), "entries.xlsx", "cannot be opened")


def test_a_truncated_workbook_is_refused(moderator, upload):
    data = xlsx_bytes([row()])
    refused(upload, moderator, data[: len(data) // 2], "entries.xlsx", "not a valid Excel")


def test_old_excel_files_are_refused_with_advice(moderator, upload):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    refused(upload, moderator, data, "entries.xls", "old Excel file")


def test_empty_file_is_refused(moderator, upload):
    refused(upload, moderator, b"  \n", "entries.csv", "empty")


def test_missing_required_columns_are_named_before_any_row_is_read(moderator, upload):
    from stocktake.imports.services import mapping_problems

    job = upload(moderator, csv_bytes([{"summary_en": "Only a summary"}]))
    assert job.status == JobStatus.MAPPING
    [problem] = mapping_problems(job)
    assert "lead organisation" in problem and "title" in problem and "original_language" in problem
    assert job.total_rows == 0 and Initiative.objects.count() == 0


def test_xlsx_is_imported_and_neutralised_formulas_are_restored(moderator, upload):
    data = xlsx_bytes([row(summary_en="=1+2 is the formula", description_en="@mention")])
    job = upload(moderator, data, name="entries.xlsx")
    assert job.format == "xlsx" and job.error_count == 0, (job.error, job.report)
    import_job_commit(user=moderator, job=job, target_state="draft")
    document = read_revision(Initiative.objects.get().working_revision)
    assert document["summary"] == {"en": "=1+2 is the formula"}
    assert document["description"] == {"en": "@mention"}


def test_xlsx_formula_cells_are_per_field_errors_never_evaluated(moderator, upload):
    workbook = Workbook()
    sheet = workbook.active
    values = row()
    sheet.append(list(values))
    sheet.append(list(values.values()))
    sheet.cell(row=2, column=list(values).index("summary_en") + 1, value='=CONCAT("a","b")')
    out = io.BytesIO()
    workbook.save(out)
    job = upload(moderator, out.getvalue(), name="formula.xlsx")
    assert job.error_count == 1
    [error] = job.report["rows"][0]["errors"]
    assert error["column"] == "summary_en" and "formula" in error["message"]
    assert Initiative.objects.count() == 0


def test_xlsx_dates_and_numbers_are_read_as_values(moderator, upload):
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    values = row(start_date=dt.datetime(2021, 3, 1), funding_amount=1500.5, external_id=42)
    sheet.append(list(values))
    sheet.append(list(values.values()))
    out = io.BytesIO()
    workbook.save(out)
    job = upload(moderator, out.getvalue(), name="values.xlsx")
    assert job.error_count == 0, job.report
    import_job_commit(user=moderator, job=job, target_state="draft")
    entry = Initiative.objects.get()
    document = read_revision(entry.working_revision)
    assert document["start_date"] == "2021-03-01"
    assert document["funding_amount"] == "1500.50"
    assert entry.external_ids == {"source": "42"}
