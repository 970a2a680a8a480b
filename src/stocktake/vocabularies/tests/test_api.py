"""The vocabulary API: list, one scheme with all its terms, crosswalks, 404 problems."""

import pytest

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_list_names_every_scheme_with_version_and_count(client):
    response = client.get("/api/v1/vocabularies/")
    assert response.status_code == 200
    body = response.json()
    by_id = {item["scheme"]: item for item in body["results"]}
    assert body["count"] == len(body["results"])
    assert by_id["sdg-targets"]["term_count"] == 169
    assert by_id["sdg-targets"]["parent_scheme"] == "sdg-goals"
    assert by_id["wsis-action-lines"]["url"].endswith("/api/v1/vocabularies/wsis-action-lines/")
    assert set(by_id["countries"]["labels"]) == {"ar", "en", "fr"}


def test_a_scheme_comes_with_every_term_parent_and_labels(client):
    response = client.get("/api/v1/vocabularies/wsis-action-lines/")
    assert response.status_code == 200
    body = response.json()
    assert body["scheme"] == "wsis-action-lines"
    assert body["version"]
    terms = {term["code"]: term for term in body["terms"]}
    assert len(terms) == 19
    assert terms["C7.4"]["parent"] == "C7"
    assert terms["C1"]["parent"] is None
    assert set(terms["C5"]["labels"]) == {"ar", "en", "fr"}


def test_sdg_targets_name_their_goal_as_parent(client):
    body = client.get("/api/v1/vocabularies/sdg-targets/").json()
    assert len(body["terms"]) == 169
    assert {term["parent"] for term in body["terms"]} == {str(n) for n in range(1, 18)}


def test_the_scheme_query_count_does_not_grow_with_terms(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/vocabularies/countries/")
    assert len(response.json()["terms"]) == 249


def test_an_unknown_scheme_is_a_404_problem_in_json(client):
    response = client.get("/api/v1/vocabularies/no-such-scheme/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert "no-such-scheme" in body["detail"]


def test_the_404_detail_follows_the_callers_language(client):
    response = client.get("/api/v1/vocabularies/nope/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]
    assert response["Content-Language"] == "fr"


def test_crosswalks_list_and_detail(client):
    listing = client.get("/api/v1/crosswalks/").json()
    identifiers = {item["crosswalk"] for item in listing["results"]}
    assert {
        "wsis-action-lines-to-sdg-targets",
        "wsis-action-lines-to-gdc-objectives",
        "regions-to-countries",
    } <= identifiers
    detail = client.get("/api/v1/crosswalks/regions-to-countries/").json()
    assert len(detail["links"]["LAS"]) == 22
    assert client.get("/api/v1/crosswalks/unknown/").status_code == 404


def test_writes_are_refused_with_a_problem(client):
    response = client.post("/api/v1/vocabularies/", {}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert response.json()["status"] == response.status_code
