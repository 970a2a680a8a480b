"""Every error is a problem document (RFC 9457), in the caller's language, never a 5xx."""

import pytest

from stocktake.initiatives.tests.factories import make_draft, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/initiatives", "/api/v1/x/y"])
def test_addresses_with_no_endpoint_are_404_problems(api, path):
    assert_problem(api.get(path), 404)


def test_a_method_the_endpoint_has_not_is_a_405_problem(api):
    body = assert_problem(api.delete("/api/v1/countries/"), 405)
    assert "DELETE" in body["detail"]


def test_asking_for_html_is_a_406_problem(api):
    assert_problem(api.get("/api/v1/countries/", HTTP_ACCEPT="text/html"), 406)


def test_bodies_that_are_not_json_are_refused(api_as):
    member = make_user()
    entry = make_draft(author=member)
    client = api_as(member)
    url = f"/api/v1/initiatives/{entry.pk}/submit/"
    assert_problem(
        client.post(url, "note=x", content_type="application/x-www-form-urlencoded"), 415
    )
    assert_problem(client.post(url, "{not json", content_type="application/json"), 400)
    assert_problem(client.post(url, '{"note": NaN}', content_type="application/json"), 400)


def test_an_oversized_body_is_a_413_problem(api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    member = make_user()
    entry = make_draft(author=member)
    response = api_as(member).post(
        f"/api/v1/initiatives/{entry.pk}/submit/", {"note": "x" * 2000}, format="json"
    )
    assert_problem(response, 413)


def test_problems_are_in_the_language_asked_for(api):
    english = assert_problem(
        api.get("/api/v1/initiatives/0/", headers={"Accept-Language": "en"}), 404
    )
    french = assert_problem(
        api.get("/api/v1/initiatives/0/", headers={"Accept-Language": "fr"}), 404
    )
    arabic = assert_problem(
        api.get("/api/v1/initiatives/0/", headers={"Accept-Language": "ar"}), 404
    )
    assert english["title"] == "Not found."
    assert len({english["title"], french["title"], arabic["title"]}) == 3
    bad = api.get("/api/v1/organisations/", {"page": "0"}, headers={"Accept-Language": "fr"})
    assert bad.json()["errors"]["page"] != ["Ensure this value is greater than or equal to 1."]
