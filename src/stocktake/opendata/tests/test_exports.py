"""Downloads of a search: every format, only published content, the list's filters,
formula injection, streaming with a constant number of queries per chunk."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from stocktake.initiatives import services
from stocktake.initiatives.tests.factories import (
    edit,
    make_draft,
    make_org,
    make_published,
    make_submitted,
    make_user,
)
from stocktake.opendata import selectors
from stocktake.opendata.columns import (
    COLUMNS_BY_NAME,
    EXPORT_HEADER,
    JSON,
    MULTI_TYPES,
    from_cell,
    split_multi,
)
from stocktake.search.selectors import search_browse
from stocktake.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")

ARABIC_TITLE = "برنامج المهارات الرقمية للشباب"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'
SECRET_EMAIL = "secret-contact@example.org"
PENDING_TITLE = "Pending wording not yet approved"


def label(scheme: str, code: str, language: str) -> str:
    return Term.objects.get(scheme__identifier=scheme, code=code).labels[language]


@pytest.fixture
def people():
    author = make_user()
    return {
        "author": author,
        "organisation": make_org(
            members=[author], names={"en": "Ministry of Skills", "ar": "وزارة المهارات"}
        ),
        "moderator": make_user(moderator=True),
    }


def publish(people, **content):
    return make_published(
        author=people["author"],
        organisation=people["organisation"],
        moderator=people["moderator"],
        **content,
    )


@pytest.fixture
def dataset(people):
    """Two published entries (Arabic and French originals), and entries or texts that must
    never leave: a draft, a submission, a withdrawn and an archived entry, a pending change
    and a contact address."""
    arabic = publish(
        people,
        original_language="ar",
        title={"ar": ARABIC_TITLE, "en": "Digital skills for youth"},
        summary={"ar": "تدريب مجاني على المهارات الرقمية.", "en": "Free training."},
        countries=["TN", "EG"],
        sdg_goals=["4"],
        sdg_goal_evidence={"4": '=Education for all; "quoted"', "16": "Identity."},
        sdg_targets=[{"code": "4.4", "evidence": "Skills for jobs."}, {"code": "16.9"}],
        partners=[{"name": "UNDP", "stakeholder_type": "", "country": ""}],
        links=[{"label": "Report", "url": "https://example.org/report"}],
        keywords=["skills", "youth"],
        funding_amount="1500.50",
        funding_currency="USD",
        start_date="2021-03-01",
        contact_email=SECRET_EMAIL,
    )
    french = publish(
        people,
        original_language="fr",
        title={"fr": FORMULA_TITLE},
        summary={"fr": "+33 formation -gratuite"},
        countries=["MA"],
    )
    edit(arabic, user=people["author"], title={"ar": ARABIC_TITLE, "en": PENDING_TITLE})
    make_draft(author=people["author"], organisation=people["organisation"],
               title={"en": "Draft never shown"})  # fmt: skip
    make_submitted(author=people["author"], organisation=people["organisation"],
                   title={"en": "Submission never shown"})  # fmt: skip
    withdrawn = publish(people, title={"en": "Withdrawn never shown"})
    services.initiative_withdraw(user=people["author"], initiative=withdrawn)
    archived = publish(people, title={"en": "Archived never shown"})
    services.initiative_archive(moderator=people["moderator"], initiative=archived)
    return {"arabic": arabic, "french": french}


HIDDEN = (
    PENDING_TITLE,
    SECRET_EMAIL,
    "Draft never shown",
    "Submission never shown",
    "Withdrawn never shown",
    "Archived never shown",
)


def download(client, format: str, query: str = "", language: str = "en") -> bytes:
    response = client.get(f"/{language}/data/export.{format}" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:]))
    assert tuple(reader.fieldnames) == EXPORT_HEADER
    return list(reader)


def xlsx_rows(content: bytes) -> tuple[list[dict], list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [
        [cell if cell is not None else "" for cell in row] for row in workbook["Entries"].values
    ]
    assert tuple(rows[0]) == EXPORT_HEADER
    about = list(workbook["About"].values)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], about


def record_from_cells(row: dict) -> dict:
    """A CSV or XLSX row read back as a JSON record, the way an import reads it."""
    record = {}
    for name, cell in row.items():
        column = COLUMNS_BY_NAME[name]
        text = from_cell(cell)
        if column.type in MULTI_TYPES:
            record[name] = split_multi(text)
        elif column.type == JSON:
            default = {} if name.endswith("_evidence") else []
            record[name] = json.loads(text) if text else default
        elif column.type == "integer":
            record[name] = int(text)
        elif column.type == "boolean":
            record[name] = text == "true"
        else:
            record[name] = text or None
    return record


def test_json_export_holds_every_language_and_labelled_codes(client, dataset):
    records = json.loads(download(client, "json"))
    by_id = {record["id"]: record for record in records}
    assert set(by_id) == {dataset["arabic"].pk, dataset["french"].pk}
    arabic = by_id[dataset["arabic"].pk]
    assert list(arabic) == list(EXPORT_HEADER)
    assert arabic["title_ar"] == ARABIC_TITLE
    assert arabic["title_en"] == "Digital skills for youth"
    assert arabic["title_fr"] is None
    assert arabic["original_language"] == "ar"
    assert arabic["organisation_ar"] == "وزارة المهارات"
    assert sorted(arabic["countries"]) == ["EG", "TN"]
    labels = dict(zip(arabic["countries"], arabic["countries_labels"], strict=True))
    assert labels == {code: label("countries", code, "en") for code in ("EG", "TN")}
    assert arabic["sdg_targets"] == ["4.4", "16.9"] or sorted(arabic["sdg_targets"]) == [
        "16.9",
        "4.4",
    ]
    assert arabic["sdg_target_evidence"] == {"4.4": "Skills for jobs."}
    # The goal of a target may have evidence too (16 comes with 16.9).
    assert arabic["sdg_goal_evidence"] == {"4": '=Education for all; "quoted"', "16": "Identity."}
    assert list(arabic).index("sdg_goal_evidence") == list(arabic).index("sdg_target_evidence") - 1
    assert set(arabic["sdg_goals"]) == {"4", "16"}  # the target's goal comes with it
    assert arabic["action_line_primary"] == "C4"
    assert arabic["action_line_primary_label"] == label("wsis-action-lines", "C4", "en")
    assert arabic["action_lines_secondary"] == ["C7.3"]
    assert arabic["initiative_type"] == "programme"
    assert arabic["initiative_type_label"] == label("initiative-types", "programme", "en")
    assert arabic["partners"] == [{"name": "UNDP", "stakeholder_type": "", "country": ""}]
    assert arabic["links"] == [{"label": "Report", "url": "https://example.org/report"}]
    assert arabic["keywords"] == ["skills", "youth"]
    assert arabic["funding_amount"] == "1500.50"
    assert arabic["start_date"] == "2021-03-01"
    assert arabic["url"].endswith(f"/en/initiatives/{dataset['arabic'].pk}/")
    assert arabic["url"].startswith("http")
    assert arabic["first_published_at"].endswith("Z")
    assert arabic["is_good_practice"] is False


def test_labels_follow_the_language_of_the_address(client, dataset):
    records = json.loads(download(client, "json", language="ar"))
    arabic = next(r for r in records if r["id"] == dataset["arabic"].pk)
    assert arabic["countries_labels"] == [label("countries", c, "ar") for c in arabic["countries"]]
    assert arabic["url"].endswith(f"/ar/initiatives/{dataset['arabic'].pk}/")


def test_every_format_carries_the_same_records(client, dataset):
    records = json.loads(download(client, "json"))
    lines = download(client, "jsonl").decode().splitlines()
    assert [json.loads(line) for line in lines] == records
    assert [record_from_cells(row) for row in csv_rows(download(client, "csv"))] == records
    rows, _about = xlsx_rows(download(client, "xlsx"))
    assert [record_from_cells(row) for row in rows] == records


@pytest.mark.parametrize("format", ["csv", "xlsx", "json", "jsonl"])
def test_only_published_content_leaves(client, dataset, format):
    content = download(client, format)
    if format == "xlsx":
        rows, _about = xlsx_rows(content)
        text = json.dumps(rows, ensure_ascii=False)
    else:
        text = content.decode("utf-8")
    assert ARABIC_TITLE in text
    for hidden in HIDDEN:
        assert hidden not in text
    assert "contact_email" not in text and "contact_name" not in text


def test_contact_details_are_not_even_read(client, dataset):
    response = client.get("/en/data/export.jsonl")
    with CaptureQueriesContext(connection) as queries:
        b"".join(response.streaming_content)
    assert queries.captured_queries
    for query in queries.captured_queries:
        assert "contact_" not in query["sql"]


def test_formula_cells_are_neutralised_in_spreadsheets(client, dataset):
    french_id = str(dataset["french"].pk)
    row = next(r for r in csv_rows(download(client, "csv")) if r["id"] == french_id)
    assert row["title_fr"] == "'" + FORMULA_TITLE
    assert row["summary_fr"] == "'+33 formation -gratuite"
    rows, _about = xlsx_rows(download(client, "xlsx"))
    cell = next(r for r in rows if str(r["id"]) == french_id)["title_fr"]
    assert cell == "'" + FORMULA_TITLE
    # JSON is not read by spreadsheets: the text stays exactly as written.
    record = next(r for r in json.loads(download(client, "json")) if r["id"] == int(french_id))
    assert record["title_fr"] == FORMULA_TITLE


def test_a_search_downloads_the_entries_of_the_list_in_its_order(client, dataset, people):
    for n in range(3):
        publish(people, title={"en": f"Moroccan entry {n}"}, countries=["MA"])
    query = "countries=MA&sort=title"
    expected = search_browse(filters={"countries": ["MA"]}, sort="title", language="en")
    ids = expected.ids(0, expected.total)
    assert len(ids) == 4
    assert [r["id"] for r in json.loads(download(client, "json", query))] == ids
    listed = client.get("/en/initiatives/?" + query).content.decode()
    for pk in ids:
        assert f"/en/initiatives/{pk}/" in listed
    assert str(dataset["arabic"].pk) not in {str(pk) for pk in ids}


def test_a_search_that_finds_nothing_gives_valid_empty_files(client, dataset):
    query = "countries=NO-SUCH-CODE"
    assert csv_rows(download(client, "csv", query)) == []
    assert json.loads(download(client, "json", query)) == []
    assert download(client, "jsonl", query) == b""
    rows, _about = xlsx_rows(download(client, "xlsx", query))
    assert rows == []


def test_the_list_page_links_to_the_downloads_and_feed_of_its_search(client, dataset):
    html = client.get("/en/initiatives/?countries=TN&sort=&page=1").content.decode()
    assert 'href="/en/data/export.csv?countries=TN"' in html
    assert 'href="/en/data/export.xlsx?countries=TN"' in html
    assert 'type="application/atom+xml" title=' in html
    assert 'href="/en/data/feed/?countries=TN"' in html
    # The addresses are reversed once per language: each page still has its own search and
    # language, and a page without a search links to the whole dataset.
    html = client.get("/fr/initiatives/?q=sant%C3%A9").content.decode()
    assert 'href="/fr/data/export.csv?q=sant%C3%A9"' in html
    assert 'href="/fr/data/feed/?q=sant%C3%A9"' in html
    assert 'href="/fr/data/"' in html
    html = client.get("/en/initiatives/").content.decode()
    assert 'href="/en/data/export.csv"' in html and "export.csv?" not in html
    assert 'href="/en/data/feed/"' in html


def test_downloads_state_their_type_name_and_licence(client, dataset):
    expected_types = {
        "csv": "text/csv; charset=utf-8",
        "json": "application/json",
        "jsonl": "application/jsonl; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for format, content_type in expected_types.items():
        response = client.get(f"/en/data/export.{format}")
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Content-Disposition"].endswith(f'.{format}"')
        assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        b"".join(response.streaming_content)


def test_the_spreadsheet_has_an_about_sheet_with_the_licence(client, dataset, settings):
    settings.OPEN_DATA_LICENCE_NAME = "ODbL 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    _rows, about = xlsx_rows(download(client, "xlsx"))
    values = {row[0]: row[1] for row in about}
    assert values["Licence"] == "ODbL 1.0"
    assert values["Licence address"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert values["Entries"] == "2"


@pytest.mark.parametrize(
    "query",
    ["sort=relevance", "sort=sideways", "good_practice=perhaps", "countries=" + "X" * 40],
)
@pytest.mark.parametrize("path", ["export.csv", "export.xlsx", "feed/"])
def test_bad_parameters_get_a_400_page_that_says_why(client, query, path):
    response = client.get(f"/en/data/{path}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This search cannot be run" in html
    assert 'class="message message-error"' in html


def test_unknown_formats_are_not_found(client):
    assert client.get("/en/data/export.pdf").status_code == 404
    assert client.get("/en/data/export.csv.exe").status_code == 404


def _queries_for_download(client, format: str) -> int:
    response = client.get(f"/en/data/export.{format}")
    with CaptureQueriesContext(connection) as queries:
        for _piece in response.streaming_content:
            pass
    return len(queries)


@pytest.mark.parametrize("format", ["csv", "json", "jsonl"])
def test_the_stream_reads_a_constant_number_of_queries_per_chunk(
    client, people, monkeypatch, format
):
    monkeypatch.setattr(selectors, "CHUNK_SIZE", 10)
    for n in range(3):
        publish(people, title={"en": f"Entry {n}"})
    three = _queries_for_download(client, format)  # one chunk
    for n in range(27):
        publish(people, title={"en": f"More {n}"})
    thirty = _queries_for_download(client, format)  # three chunks
    # The vocabulary once (per state of the index), then two queries a chunk, however full.
    assert three == 1 + 2
    assert thirty == 1 + 3 * 2


def test_the_stream_reads_the_database_only_as_it_is_consumed(client, dataset):
    response = client.get("/en/data/export.csv")
    with CaptureQueriesContext(connection) as queries:
        first = next(iter(response.streaming_content))
    assert first.decode("utf-8").startswith("\ufeffid,url,")
    assert len(queries) == 0  # the header comes before any entry is read
