"""The search endpoint and the list page give the same entries and the same facet counts for
the same parameters (they call the same search service)."""

import pytest

from stocktake.initiatives.tests.factories import make_published
from stocktake.search.selectors import FACETS

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def entries():
    make_published(title={"en": "Clinic network"}, countries=["TN"], sdg_goals=["3"])
    make_published(title={"en": "Clinic app"}, countries=["EG"], action_lines={"primary": "C7.4"})
    make_published(title={"en": "School network"}, countries=["TN", "EG"], sdg_goals=["4"])
    make_published(title={"en": "Rural clinic"}, countries=["MA"], sdg_goals=["3", "10"])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "clinic"},
        {"countries": ["TN", "EG"]},
        {"q": "network", "sdg-goals": "3"},
        {"wsis-action-lines": "C4", "countries": "MA"},
        {"q": "clinic", "sort": "title"},
    ],
)
def test_the_api_and_the_list_page_agree(client, entries, params):
    page = client.get("/en/initiatives/", {**params, "all": list(FACETS)})
    api = client.get("/api/v1/initiatives/", params, headers={"Accept-Language": "en"}).json()
    assert api["count"] == page.context["page_obj"].paginator.count
    assert [r["id"] for r in api["results"]] == [i.pk for i in page.context["page_obj"]]
    on_page = {
        menu["name"]: {v["code"]: v["count"] for v in menu["values"] if v["count"]}
        for menu in page.context["facets"]
    }
    in_api = {
        facet: {v["code"]: v["count"] for v in values} for facet, values in api["facets"].items()
    }
    assert {f: c for f, c in on_page.items() if c} == {f: c for f, c in in_api.items() if c}


def test_without_parameters_every_published_entry_is_found(client, entries):
    assert client.get("/api/v1/initiatives/").json()["count"] == 4


@pytest.mark.parametrize("sort", ["title", "updated", "newest"])
def test_walking_the_pages_sees_every_entry_once_even_with_ties(client, sort):
    ids = {make_published(title={"en": "Same title"}, countries=["TN"]).pk for _n in range(5)}
    seen, url = [], f"/api/v1/initiatives/?sort={sort}&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [result["id"] for result in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(ids)
