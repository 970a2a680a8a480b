"""The moderator's import pages: who may use them, and the upload → dry run → commit path."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stocktake.imports.models import ImportJob, JobStatus
from stocktake.initiatives.models import Initiative, Status
from stocktake.initiatives.tests.factories import make_user
from stocktake.opendata.columns import IMPORT_HEADER

from .helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def csv_file(data: bytes, name: str = "entries.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_anonymous_visitors_are_sent_to_log_in(client, vocabularies):
    response = client.get(reverse("imports:start"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["start", "template"])
def test_contributors_are_refused(client, vocabularies, name):
    client.force_login(make_user())
    args = ["csv"] if name == "template" else []
    assert client.get(reverse(f"imports:{name}", args=args)).status_code == 403


def test_contributors_cannot_post_a_file(client, vocabularies):
    client.force_login(make_user())
    response = client.post(reverse("imports:start"), {"file": csv_file(csv_bytes([row()]))})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_upload_dry_run_and_commit(moderator_client):
    response = moderator_client.post(
        reverse("imports:start"), {"file": csv_file(csv_bytes([row()])), "default_language": ""}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:job", args=[job.pk]
    )
    page = moderator_client.get(response["Location"])
    content = page.content.decode()
    assert job.status == JobStatus.PREVIEWED
    assert "National AI skills programme" in content
    assert 'name="target_state"' in content
    assert Initiative.objects.count() == 0
    response = moderator_client.post(
        reverse("imports:commit", args=[job.pk]), {"target_state": "published"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.target_state == "published"
    assert Initiative.objects.get().status == Status.PUBLISHED
    page = moderator_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Entries created: 1; updated: 0; unchanged: 0." in page


def test_a_refused_file_is_explained_on_the_form(moderator_client):
    data = "title_en\nCafé\n".encode("cp1252")
    response = moderator_client.post(reverse("imports:start"), {"file": csv_file(data)})
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()


def test_a_preview_with_errors_offers_no_commit(moderator_client):
    moderator_client.post(
        reverse("imports:start"), {"file": csv_file(csv_bytes([row(countries="Narnia")]))}
    )
    job = ImportJob.objects.get()
    content = moderator_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "“Narnia” is not a known choice" in content
    assert 'name="target_state"' not in content
    response = moderator_client.post(
        reverse("imports:commit", args=[job.pk]), {"target_state": "draft"}
    )
    assert response.status_code == 400
    assert Initiative.objects.count() == 0


def test_mapping_page_for_unknown_headers(moderator_client):
    data = csv_bytes([{"Org": "Ministry of Tests", "Kind": "government", "Name": "Mapped entry"}])
    response = moderator_client.post(
        reverse("imports:start"), {"file": csv_file(data), "default_language": "en"}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    page = moderator_client.get(response["Location"]).content.decode()
    assert "Org" in page and "Ignore this column" in page
    assert "The file lacks required columns" in page  # said before any row is read
    response = moderator_client.post(
        response["Location"],
        {
            "default_language": "en",
            "column_0": "organisation_en",
            "column_1": "organisation_stakeholder_type",
            "column_2": "title_en",
        },
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and job.created_count == 1, job.report


def test_mapping_without_required_columns_is_refused_with_a_message(moderator_client):
    data = csv_bytes([{"Org": "Ministry", "Name": "Entry"}])
    moderator_client.post(
        reverse("imports:start"), {"file": csv_file(data), "default_language": "en"}
    )
    job = ImportJob.objects.get()
    response = moderator_client.post(
        reverse("imports:mapping", args=[job.pk]), {"column_0": "organisation_en", "column_1": ""}
    )
    assert response.status_code == 400
    assert "title" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.MAPPING


def test_progress_fragment_polls_while_running_and_reloads_when_done(moderator_client, moderator):
    job = ImportJob.objects.create(
        created_by=moderator, file_name="x.csv", format="csv", language="en",
        status=JobStatus.RUNNING, total_rows=10, processed_rows=0,
    )  # fmt: skip
    from stocktake.imports.progress import progress_write

    progress_write(job.pk, processed=4, total=10)
    response = moderator_client.get(reverse("imports:progress", args=[job.pk]))
    content = response.content.decode()
    assert 'value="4"' in content and 'hx-trigger="every 1s"' in content
    assert "HX-Refresh" not in response
    page = moderator_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # without JavaScript, the page refreshes itself
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, processed_rows=10)
    response = moderator_client.get(reverse("imports:progress", args=[job.pk]))
    assert response["HX-Refresh"] == "true"


def test_templates_carry_the_import_columns(moderator_client):
    response = moderator_client.get(reverse("imports:template", args=["csv"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(header) == IMPORT_HEADER
    response = moderator_client.get(reverse("imports:template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    entries, guide = workbook.worksheets
    assert tuple(next(entries.iter_rows(values_only=True))) == IMPORT_HEADER
    assert any(r and r[0] == "countries" for r in guide.iter_rows(values_only=True))


def test_the_empty_template_imports_nothing_and_says_so(moderator_client, upload, moderator):
    from stocktake.imports.template import template_csv

    job = upload(moderator, template_csv(), default_language="en")
    assert job.status == JobStatus.PREVIEWED and job.total_rows == 0
    assert not job.can_commit


def test_cancel_deletes_the_file_and_keeps_the_record(moderator_client, import_dir):
    moderator_client.post(reverse("imports:start"), {"file": csv_file(csv_bytes([row()]))})
    job = ImportJob.objects.get()
    assert any(import_dir.iterdir())
    moderator_client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.stored_name
    assert not any(import_dir.iterdir())


def test_the_column_list_points_the_way_the_page_reads(moderator_client):
    moderator_client.post(reverse("imports:start"), {"file": csv_file(csv_bytes([row()]))})
    job = ImportJob.objects.get()
    english = moderator_client.get(f"/en/imports/{job.pk}/").content.decode()
    arabic = moderator_client.get(f"/ar/imports/{job.pk}/").content.decode()
    assert "</bdi> → " in english and "</bdi> ← " not in english
    assert "</bdi> ← " in arabic and "</bdi> → " not in arabic
