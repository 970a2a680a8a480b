"""Organisations and countries through the API, and how every list pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stocktake.initiatives.tests.factories import (
    make_org,
    make_published,
    make_submitted,
    make_user,
)
from stocktake.organisations.models import Organisation

pytestmark = pytest.mark.usefixtures("vocabularies")

NEUTRAL = {"sdg_targets": [], "technologies": [], "keywords": []}


def test_organisations_are_paged_by_slug_with_their_published_entry_counts(api):
    ministry = make_org(names={"en": "Ministry of Health", "fr": "Ministère de la Santé"})
    make_org(names={"en": "Digital Agency"})
    make_published(organisation=ministry, **NEUTRAL)
    make_published(organisation=ministry, **NEUTRAL)
    body = api.get("/api/v1/organisations/", {"page_size": 1}).json()
    slugs = sorted(Organisation.objects.values_list("slug", flat=True))
    assert body["count"] == len(slugs) and body["results"][0]["slug"] == slugs[0]
    assert parse_qs(urlsplit(body["next"]).query) == {"page": ["2"], "page_size": ["1"]}
    assert body["previous"] is None
    found = api.get("/api/v1/organisations/", {"q": "santé"}).json()
    assert [o["id"] for o in found["results"]] == [ministry.pk]
    assert found["results"][0]["published_entries"] == 2
    detail = api.get(f"/api/v1/organisations/{ministry.pk}/", headers={"Accept-Language": "fr"})
    assert detail.json()["name"] == "Ministère de la Santé"
    entries = api.get(detail.json()["entries_url"]).json()
    assert entries["count"] == 2


def test_paging_through_organisations_sees_each_once(api):
    for n in range(7):
        make_org(names={"en": f"Same name {n % 2}"})
    seen, page = [], 1
    while True:
        body = api.get("/api/v1/organisations/", {"page_size": 3, "page": page}).json()
        seen += [o["id"] for o in body["results"]]
        if body["next"] is None:
            break
        page += 1
    assert sorted(seen) == sorted(Organisation.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))
    past = api.get("/api/v1/organisations/", {"page": 99}).json()
    assert past["results"] == [] and past["count"] == len(seen)


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"page_size": "101"}])
def test_bad_page_parameters_are_400_problems(api, params):
    response = api.get("/api/v1/organisations/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == set(params)


def test_unknown_organisation_is_a_404_problem(api):
    assert api.get("/api/v1/organisations/999999/").status_code == 404


def test_countries_have_their_published_entry_counts_in_the_asked_language(api):
    make_published(countries=["TN"], **NEUTRAL)
    make_published(countries=["TN", "EG"], **NEUTRAL)
    body = api.get("/api/v1/countries/", headers={"Accept-Language": "ar"}).json()
    counts = {c["code"]: (c["published_entries"], c["label"]) for c in body["results"]}
    assert counts == {"EG": (1, "مصر"), "TN": (2, "تونس")}
    assert api.get(body["results"][1]["entries_url"]).json()["count"] == 2


def _queries(client, path: str) -> int:
    """Queries of a request, once caches (token, browse index) are warm."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_page(api, api_as):
    moderator = api_as(make_user(moderator=True))
    make_submitted(organisation=make_org(country="EG"))
    make_org(country=None)
    lists = ("/api/v1/organisations/", "/api/v1/countries/", "/api/v1/moderation/")
    clients = (api, api, moderator)
    before = [_queries(client, path) for client, path in zip(clients, lists, strict=True)]
    for _n in range(4):
        make_submitted(organisation=make_org(country="TN"))
    after = [_queries(client, path) for client, path in zip(clients, lists, strict=True)]
    assert after == before
