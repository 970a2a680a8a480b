"""The search API: the same service as the page, strict about its parameters."""

import pytest

from stocktake.initiatives.tests.factories import make_published

pytestmark = pytest.mark.usefixtures("vocabularies")

SEARCH = "/api/v1/initiatives/"
FACETS = "/api/v1/initiatives/facets/"
NEUTRAL = {"sdg_goals": ["17"], "sdg_targets": [], "technologies": [], "keywords": []}


def entry(title: str, **content):
    return make_published(title={"en": title}, **{**NEUTRAL, **content})


def test_search_returns_entries_counts_and_facets(client):
    egypt = entry("Clinic in Egypt", countries=["EG"])
    entry("Clinic in Tunisia", countries=["TN"])
    entry("School in Tunisia", countries=["TN"])
    body = client.get(SEARCH, {"q": "clinic", "countries": "EG"}).json()
    assert body["count"] == 1 and body["page"] == 1 and body["corrected"] == {}
    [result] = body["results"]
    assert result["id"] == egypt.pk and result["title"] == {"en": "Clinic in Egypt"}
    assert result["url"].endswith(f"/initiatives/{egypt.pk}/")
    assert result["highlight"] == "<mark>Clinic</mark> in Egypt"
    countries = {value["code"]: value["count"] for value in body["facets"]["countries"]}
    assert countries == {"EG": 1, "TN": 1}  # the country facet leaves out its own choice


def test_facet_labels_follow_the_asked_language(client):
    entry("Clinic", countries=["EG"])
    body = client.get(FACETS, headers={"Accept-Language": "ar"}).json()
    assert {"code": "EG", "label": "مصر", "count": 1} in body["facets"]["countries"]
    assert body["count"] == 1 and "results" not in body


def test_pages_of_results(client):
    for n in range(5):
        entry(f"Clinic {n}")
    first = client.get(SEARCH, {"page_size": 2}).json()
    third = client.get(SEARCH, {"page_size": 2, "page": 3}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and len(third["results"]) == 1
    assert client.get(SEARCH, {"page_size": 2, "page": 9}).json()["results"] == []


def test_a_misspelling_is_corrected_and_reported(client):
    entry("Telemedicine network")
    body = client.get(SEARCH, {"q": "telemedecine"}).json()
    assert body["count"] == 1 and body["corrected"] == {"telemedecine": "telemedicine"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "sideways"}, "sort"),
        ({"sort": "relevance"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"q": "x" * 301}, "q"),
        ({"countries": "X" * 40}, "countries"),
    ],
)
def test_bad_parameters_get_a_problem_naming_the_field(client, params, field):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_the_openapi_document_describes_the_search(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/initiatives/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "sort", "page", "page_size", "countries", "wsis-action-lines"} <= names
    assert "400" in operation["responses"]
    assert "/api/v1/initiatives/facets/" in document["paths"]
