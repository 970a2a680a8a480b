"""`stocktake import`: the same dry run and all-or-nothing commit from the terminal."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from stocktake.imports.models import ImportJob, JobStatus
from stocktake.initiatives.content import read_revision
from stocktake.initiatives.models import Initiative, Status
from stocktake.initiatives.tests.factories import make_user
from stocktake.opendata.columns import IMPORT_HEADER

from .helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_file_in_the_chosen_state(moderator, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(csv_bytes([row(), row(external_id="E2", title_en="Two")]))
    out, err = run(str(path), "--user", moderator.email.upper(), "--state", "published")
    assert "2 created" in out
    assert "rows" in err  # the progress bar goes to the terminal's error stream
    assert list(Initiative.objects.values_list("status", flat=True)) == [Status.PUBLISHED] * 2
    assert ImportJob.objects.get().status == JobStatus.SUCCEEDED


def test_command_reports_row_errors_and_writes_nothing(moderator, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(csv_bytes([row(), row(external_id="E2", title_en="Two", coverage="Mars")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command(
            "import", str(path), "--user", moderator.email, stdout=out, stderr=io.StringIO()
        )
    assert "row 3 [coverage]: “Mars” is not a known choice" in out.getvalue()
    assert Initiative.objects.count() == 0


def test_command_dry_run_writes_nothing(moderator, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(csv_bytes([row()]))
    out, _err = run(str(path), "--user", moderator.email, "--dry-run")
    assert "1 to create" in out and "nothing was written" in out
    assert Initiative.objects.count() == 0


def test_command_maps_columns_and_takes_a_default_language(moderator, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(
        csv_bytes([{"Titre": "Cartes numériques", "Organisme": "Ministère", "Type": "government"}])
    )
    with pytest.raises(CommandError, match="--map"):
        run(str(path), "--user", moderator.email, "--language", "fr")
    run(
        str(path), "--user", moderator.email, "--language", "fr",
        "--map", "Titre=title_fr", "--map", "Organisme=organisation_fr",
        "--map", "Type=organisation_stakeholder_type",
    )  # fmt: skip
    document = read_revision(Initiative.objects.get().working_revision)
    assert document["title"] == {"fr": "Cartes numériques"}


def test_command_refuses_people_who_are_not_moderators(vocabularies, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(csv_bytes([row()]))
    with pytest.raises(CommandError, match="Only moderators"):
        run(str(path), "--user", make_user().email)


def test_command_refuses_a_broken_file_with_its_reason(moderator, tmp_path):
    path = tmp_path / "entries.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="not a valid Excel workbook"):
        run(str(path), "--user", moderator.email)


def test_command_writes_the_template(tmp_path, vocabularies):
    out_path = tmp_path / "template.xlsx"
    run("--template", str(out_path))
    sheet = load_workbook(out_path, read_only=True).worksheets[0]
    assert tuple(next(sheet.iter_rows(values_only=True))) == IMPORT_HEADER
