"""The dry run and the all-or-nothing commit, through the services the pages and the command
share."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stocktake.imports import planning, services
from stocktake.imports.models import ImportJob, JobStatus
from stocktake.initiatives.content import read_revision
from stocktake.initiatives.models import Initiative, Origin, RevisionState, Status, Transition
from stocktake.initiatives.tests.factories import make_org, make_published, make_user
from stocktake.organisations.models import Organisation
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse

from .helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def commit(user, job, state="draft"):
    return services.import_job_commit(user=user, job=job, target_state=state)


def counts():
    return (Initiative.objects.count(), Organisation.objects.count(), Transition.objects.count())


def found(text: str) -> set[int]:
    result = search_browse(query=parse_query(text), filters={}, with_counts=False)
    return set(result.ids(0, 1000))


def test_dry_run_writes_nothing_and_reports_each_row(moderator, upload):
    before = counts()
    job = upload(moderator, csv_bytes([row(), row(external_id="EXT-2", title_en="Second one")]))
    assert job.status == JobStatus.PREVIEWED
    assert (job.total_rows, job.created_count, job.error_count) == (2, 2, 0)
    assert job.new_organisation_count == 1
    assert [r["action"] for r in job.report["rows"]] == ["create", "create"]
    assert job.report["rows"][0]["new_organisation"] is True
    assert counts() == before


@pytest.mark.parametrize("state", ["draft", "submitted", "published"])
def test_commit_creates_entries_in_the_chosen_state_with_transitions(moderator, upload, state):
    job = upload(moderator, csv_bytes([row(), row(external_id="EXT-2", title_en="Quantum farms")]))
    job = commit(moderator, job, state)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.created_count == 2 and job.finished_at is not None
    entries = list(Initiative.objects.order_by("pk"))
    assert [e.status for e in entries] == [state, state]
    assert all(e.origin == Origin.IMPORTED for e in entries)
    assert entries[0].external_ids == {"source": "EXT-1"}
    assert entries[0].organisation.names == {"en": "Ministry of Digital Affairs"}
    assert entries[0].organisation_id == entries[1].organisation_id  # created once
    transition = Transition.objects.get(initiative=entries[1])
    assert (transition.action, transition.to_status, transition.actor) == (
        "import",
        state,
        moderator,
    )
    assert f"Import #{job.pk}" in transition.note and "row 3" in transition.note
    revision = entries[0].published_revision or entries[0].working_revision
    assert (
        revision.state
        == {"draft": "draft", "submitted": "submitted", "published": "published"}[state]
    )
    assert (entries[1].pk in found("quantum")) == (state == "published")
    assert not job.stored_name and not list(services._directory().iterdir())  # file deleted
    assert ImportJob.objects.filter(pk=job.pk).exists()  # the record stays


def test_reimporting_the_same_file_changes_nothing(moderator, upload):
    data = csv_bytes([row(), row(external_id="EXT-2", title_en="Second one")])
    commit(moderator, upload(moderator, data), "published")
    before = counts()
    job = upload(moderator, data)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    job = commit(moderator, job, "published")
    assert job.status == JobStatus.SUCCEEDED
    assert counts() == before


def test_reimport_by_external_id_updates_instead_of_duplicating(moderator, upload):
    commit(moderator, upload(moderator, csv_bytes([row()])), "published")
    entry = Initiative.objects.get()
    job = upload(moderator, csv_bytes([row(title_en="Renamed programme", countries="TN; EG")]))
    assert (job.created_count, job.updated_count) == (0, 1)
    assert job.report["rows"][0]["entry"] == entry.pk
    commit(moderator, job, "published")
    entry.refresh_from_db()
    assert Initiative.objects.count() == 1
    document = read_revision(entry.published_revision)
    assert document["title"] == {"en": "Renamed programme"}
    assert document["countries"] == ["EG", "TN"] or sorted(document["countries"]) == ["EG", "TN"]
    assert entry.published_revision.number == 2
    assert entry.revisions.filter(state=RevisionState.SUPERSEDED).count() == 1


def test_reimport_of_a_published_entry_as_draft_makes_a_pending_revision(moderator, upload):
    commit(moderator, upload(moderator, csv_bytes([row()])), "published")
    commit(moderator, upload(moderator, csv_bytes([row(summary_en="A new summary.")])), "draft")
    entry = Initiative.objects.get()
    assert entry.status == Status.PUBLISHED
    assert read_revision(entry.published_revision)["summary"]["en"] != "A new summary."
    assert read_revision(entry.working_revision)["summary"] == {"en": "A new summary."}


def test_reimport_without_external_id_matches_organisation_and_title(moderator, upload):
    organisation = make_org(names={"en": "Agence Numérique"})
    existing = make_published(organisation=organisation, title={"en": "Smart Water Meters"})
    data = csv_bytes(
        [
            row(
                external_id=None,
                organisation_en="AGENCE NUMERIQUE",
                organisation_stakeholder_type=None,
                title_en="smart water meters",
                summary_en="Meters everywhere.",
            )
        ]
    )
    job = upload(moderator, data)
    assert job.error_count == 0, job.report
    assert (job.created_count, job.updated_count) == (0, 1)
    commit(moderator, job, "published")
    assert Initiative.objects.count() == 1
    existing.refresh_from_db()
    assert read_revision(existing.published_revision)["summary"] == {"en": "Meters everywhere."}


def test_update_keeps_fields_the_file_has_no_column_for(moderator, upload):
    entry = make_published(contact_email="person@example.org")
    job = upload(moderator, csv_bytes([{"id": str(entry.pk), "summary_en": "Shorter."}]))
    assert job.updated_count == 1, job.report
    commit(moderator, job, "published")
    entry.refresh_from_db()
    document = read_revision(entry.published_revision)
    assert document["summary"] == {"en": "Shorter."}
    assert document["contact_email"] == "person@example.org"
    assert document["countries"] == ["TN"]


def test_goal_evidence_is_imported_and_kept_with_the_goals_that_stay(moderator, upload):
    data = csv_bytes(
        [row(sdg_goals="4; 16", sdg_goal_evidence='{"16": "Open data.", "4": "Skills."}')]
    )
    commit(moderator, upload(moderator, data), "published")
    entry = Initiative.objects.get()
    document = read_revision(entry.published_revision)
    assert document["sdg_goal_evidence"] == {"4": "Skills.", "16": "Open data."}
    # A file without the column keeps the evidence of the goals the entry keeps.
    job = upload(moderator, csv_bytes([{"id": str(entry.pk), "sdg_goals": "16"}]))
    assert job.updated_count == 1, job.report
    commit(moderator, job, "published")
    entry.refresh_from_db()
    document = read_revision(entry.published_revision)
    assert document["sdg_goals"] == ["16"]
    assert document["sdg_goal_evidence"] == {"16": "Open data."}
    # An empty cell in the column clears it.
    job = upload(moderator, csv_bytes([{"id": str(entry.pk), "sdg_goal_evidence": ""}]))
    assert job.updated_count == 1, job.report
    commit(moderator, job, "published")
    entry.refresh_from_db()
    assert read_revision(entry.published_revision)["sdg_goal_evidence"] == {}


@pytest.mark.parametrize(
    ("cell", "message"),
    [('{"13": "Climate."}', "13"), ("16: Open data.", '{"16": "text"}')],
)
def test_bad_goal_evidence_is_an_error_of_its_column(moderator, upload, cell, message):
    job = upload(moderator, csv_bytes([row(sdg_goal_evidence=cell)]), language="en")
    assert job.error_count == 1
    [error] = job.report["rows"][0]["errors"]
    assert error["field"] == "sdg_goal_evidence"
    assert "sdg_goal_evidence" in error["column"].split(", ")
    assert message in error["message"]


def test_mapping_of_headers_not_in_the_template(moderator, upload):
    data = csv_bytes(
        [
            {
                "Nom de l'organisme": "Ministère de l'Éducation",
                "Type": "Gouvernement",
                "Intitulé": "Plateforme d'apprentissage",
                "Pays": "Maroc",
            }
        ]
    )
    job = upload(moderator, data, default_language="fr")
    assert job.status == JobStatus.MAPPING
    with pytest.raises(ValidationError, match="lead organisation"):
        services.import_job_set_mapping(user=moderator, job=job, mapping={"Intitulé": "title_fr"})
    job = services.import_job_set_mapping(
        user=moderator,
        job=job,
        mapping={
            "Nom de l'organisme": "organisation_fr",
            "Type": "organisation_stakeholder_type",
            "Intitulé": "title_fr",
            "Pays": "countries",
        },
    )
    assert job.status == JobStatus.PREVIEWED and job.error_count == 0, job.report
    commit(moderator, job)
    document = read_revision(Initiative.objects.get().working_revision)
    assert document["original_language"] == "fr"
    assert document["title"] == {"fr": "Plateforme d'apprentissage"}
    assert document["countries"] == ["MA"]


def test_headers_are_recognised_in_any_case_and_spacing(moderator, upload):
    data = csv_bytes(
        [
            {
                "Title EN": "Spaced",
                "Organisation-EN": "Org",
                "organisation stakeholder type": "academia",
            }
        ]
    )
    job = upload(moderator, data, default_language="en")
    assert job.status == JobStatus.PREVIEWED, job.mapping
    assert job.mapping == {
        "Title EN": "title_en",
        "Organisation-EN": "organisation_en",
        "organisation stakeholder type": "organisation_stakeholder_type",
    }


@pytest.mark.parametrize(
    "value, code",
    [
        ("TANZANIA (UNITED REPUBLIC OF)", "TZ"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Korea, Republic of", "KR"),
        ("Congo (Democratic Republic of the)", "CD"),
        ("Congo", "CG"),
        ("Viet Nam", "VN"),
        ("Cote d'Ivoire", "CI"),
        ("CÔTE D\u2019IVOIRE", "CI"),
        ("Syrian Arab Republic", "SY"),
        ("State of Palestine", "PS"),
        ("Palestine", "PS"),
        ("tun", "TN"),
        ("eg", "EG"),
        ("المغرب", "MA"),
        ("Égypte", "EG"),
    ],
)
def test_countries_as_un_and_itu_lists_write_them(moderator, upload, value, code):
    job = upload(moderator, csv_bytes([row(countries=value)]))
    assert job.error_count == 0, job.report
    commit(moderator, job)
    assert read_revision(Initiative.objects.get().working_revision)["countries"] == [code]


def test_action_lines_by_code_or_name_in_any_case(moderator, upload):
    data = csv_bytes(
        [
            row(action_line_primary="c7.1", action_lines_secondary="E-HEALTH; c7 .3"),
            row(
                external_id="EXT-2",
                title_en="Second",
                action_line_primary="information and communication infrastructure",
                action_lines_secondary="C4 Capacity building",
            ),
        ]
    )
    job = upload(moderator, data)
    assert job.error_count == 0, job.report
    commit(moderator, job)
    first, second = Initiative.objects.order_by("pk")
    assert read_revision(first.working_revision)["action_lines"] == {
        "primary": "C7.1",
        "secondary": ["C7.3", "C7.4"],
    }
    assert read_revision(second.working_revision)["action_lines"] == {
        "primary": "C2",
        "secondary": ["C4"],
    }


def test_vocabulary_labels_in_arabic_and_french(moderator, upload):
    data = csv_bytes(
        [
            row(
                initiative_type="Programme",
                implementation_status="En cours",
                coverage="وطني",
                technologies="Intelligence artificielle; الحوسبة السحابية",
                beneficiary_groups="Jeunes",
                sdg_goals="Éducation de qualité, 16",
            )
        ]
    )
    job = upload(moderator, data)
    assert job.error_count == 0, job.report
    commit(moderator, job)
    document = read_revision(Initiative.objects.get().working_revision)
    assert document["implementation_status"] == "ongoing"
    assert document["coverage"] == "national"
    assert sorted(document["technologies"]) == ["artificial-intelligence", "cloud-computing"]
    assert document["beneficiary_groups"] == ["youth"]
    assert sorted(document["sdg_goals"], key=int) == ["4", "16"]


def test_unknown_values_are_per_field_errors_with_a_suggestion(moderator, upload):
    job = upload(
        moderator,
        csv_bytes([row(countries="Tunisa"), row(external_id="E2", title_en="B")]),
        language="en",  # the report's language: the uploader's, whatever a test before set
    )
    assert (job.error_count, job.created_count) == (1, 1)
    error_row = job.report["rows"][0]
    assert error_row["action"] == "error" and error_row["row"] == 2
    [error] = error_row["errors"]
    assert error["column"] == "countries"
    assert "“Tunisa”" in error["message"] and "Tunisia" in error["message"]
    assert not job.can_commit
    with pytest.raises(ValidationError):
        commit(moderator, job)
    assert Initiative.objects.count() == 0


def test_errors_are_written_in_the_uploaders_language(moderator, upload):
    job = upload(moderator, csv_bytes([row(start_date="31/12/2020")]), language="fr")
    [error] = job.report["rows"][0]["errors"]
    assert error == {
        "field": "start_date",
        "column": "start_date",
        "message": "Saisissez une date au format AAAA-MM-JJ.",
    }


def test_unknown_organisation_without_stakeholder_type_is_an_error(moderator, upload):
    job = upload(moderator, csv_bytes([row(organisation_stakeholder_type=None)]))
    assert job.error_count == 1
    assert "organisation_stakeholder_type" in job.report["rows"][0]["errors"][0]["message"]


def test_a_file_cannot_describe_one_entry_twice(moderator, upload):
    job = upload(moderator, csv_bytes([row(), row(title_en="Other title")]))
    assert job.error_count == 1
    assert "Row 2 already describes this entry" in job.report["rows"][1]["errors"][0]["message"]


def test_formulas_in_csv_cells_are_stored_as_literal_text(moderator, upload):
    formula = '=HYPERLINK("http://evil.example","click")'
    job = upload(moderator, csv_bytes([row(summary_en=formula, description_en="+1 and -2")]))
    commit(moderator, job)
    document = read_revision(Initiative.objects.get().working_revision)
    assert document["summary"] == {"en": formula}
    assert document["description"] == {"en": "+1 and -2"}


def test_incomplete_rows_can_only_be_imported_as_drafts(moderator, upload):
    job = upload(moderator, csv_bytes([row(summary_en=None, description_en=None)]))
    assert job.incomplete_count == 1 and job.error_count == 0
    with pytest.raises(ValidationError, match="not complete enough"):
        commit(moderator, job, "published")
    job = commit(moderator, job, "draft")
    assert job.status == JobStatus.SUCCEEDED


def test_a_failing_row_in_the_middle_of_the_commit_rolls_everything_back(
    moderator, upload, monkeypatch
):
    rows = [row(external_id=f"E{n}", title_en=f"Entry {n}") for n in range(5)]
    job = upload(moderator, csv_bytes(rows))
    assert job.created_count == 5
    before = counts()
    original = planning.Planner.plan

    def plan(self, number, values):
        result = original(self, number, values)
        if number == 4:  # passes the dry run, fails at the commit (data changed meanwhile)
            result.error("title", "Something changed since the dry run.")
        return result

    monkeypatch.setattr(planning.Planner, "plan", plan)
    job = commit(moderator, job, "published")
    assert job.status == JobStatus.FAILED
    assert "nothing was imported" in job.error
    assert [r["row"] for r in job.report["rows"] if r["action"] == "error"] == [4]
    assert (job.created_count, job.error_count) == (0, 1)
    assert counts() == before
    assert found("entry") == set()


def test_an_unexpected_error_during_the_commit_rolls_everything_back(
    moderator, upload, monkeypatch
):
    job = upload(
        moderator, csv_bytes([row(external_id=f"E{n}", title_en=f"T {n}") for n in range(3)])
    )
    before = counts()
    calls = []

    def explode(self, plan):
        calls.append(plan.number)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, plan)

    original = services._Writer.write
    monkeypatch.setattr(services._Writer, "write", explode)
    job = commit(moderator, job, "draft")
    assert job.status == JobStatus.FAILED and "row 3" in job.error
    assert counts() == before


def test_only_moderators_may_import(vocabularies, upload):
    contributor = make_user()
    with pytest.raises(PermissionDenied):
        upload(contributor, csv_bytes([row()]))
    assert ImportJob.objects.count() == 0


def test_the_commit_is_refused_after_the_moderator_lost_the_role(moderator, upload):
    job = upload(moderator, csv_bytes([row()]))
    moderator.is_moderator = False
    moderator.save()
    with pytest.raises(PermissionDenied):
        commit(moderator, job)
    assert Initiative.objects.count() == 0


def test_the_term_memo_answers_as_the_database_does(django_assert_num_queries):
    from stocktake.initiatives.content import TermMemo, _terms_by_code

    memo = TermMemo()
    with django_assert_num_queries(1):  # the scheme, read once
        assert set(memo("countries", ["TN", "XX"])) == {"TN"}
        assert set(memo("countries", ["EG", "TN"])) == {"EG", "TN"}
    assert memo("countries", ["EG", "XX"]) == _terms_by_code("countries", ["EG", "XX"])


def test_the_dry_run_of_updates_makes_no_query_per_row(moderator, upload):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = make_org()
    entries = [make_published(organisation=organisation, title={"en": f"E{n}"}) for n in range(6)]

    def queries(count: int) -> int:
        rows = [{"id": str(e.pk), "summary_en": f"New {e.pk}"} for e in entries[:count]]
        job = upload(moderator, csv_bytes(rows), queue=False)
        with CaptureQueriesContext(connection) as captured:
            job = services.import_job_run_check(job_id=job.pk)
        assert job.updated_count == count, job.report
        return len(captured)

    assert queries(2) == queries(6)


def test_headers_in_french_and_arabic_are_recognised(vocabularies):
    from stocktake.imports.mapping import auto_mapping

    assert auto_mapping(["Pays de mise en œuvre", "SITE WEB"]) == {
        "Pays de mise en œuvre": "countries",
        "SITE WEB": "website",
    }
    assert auto_mapping(["بلدان التنفيذ"]) == {"بلدان التنفيذ": "countries"}
