"""The open data page, the data dictionary and the Atom feed of a search."""

import pytest
from defusedxml import ElementTree

from stocktake.initiatives import services
from stocktake.initiatives.tests.factories import (
    edit,
    make_draft,
    make_org,
    make_published,
    make_user,
)
from stocktake.opendata.checks import check_open_data_licence
from stocktake.opendata.columns import COLUMNS, EXPORT_HEADER

pytestmark = pytest.mark.usefixtures("vocabularies")

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people():
    author = make_user()
    return {
        "author": author,
        "organisation": make_org(members=[author]),
        "moderator": make_user(moderator=True),
    }


def publish(people, **content):
    return make_published(
        author=people["author"],
        organisation=people["organisation"],
        moderator=people["moderator"],
        **content,
    )


def feed_entries(client, query: str = "", language: str = "en"):
    response = client.get(f"/{language}/data/feed/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_new_entries_newest_first_in_the_feed_language(client, people):
    older = publish(people, original_language="ar", title={"ar": "مبادرة أقدم"})
    newer = publish(
        people, title={"en": "Newer initiative", "ar": "مبادرة أحدث"}, summary={"en": "<b>x</b>"}
    )
    # A new version of the older entry: most recently updated, but not newly published.
    edit(older, user=people["author"], title={"ar": "مبادرة أقدم"}, summary={"ar": "نص"})
    services.initiative_submit(user=people["author"], initiative=older)
    services.initiative_publish(moderator=people["moderator"], initiative=older)
    edit(newer, user=people["author"], title={"en": "Pending title"})
    make_draft(author=people["author"], organisation=people["organisation"],
               title={"en": "Draft title"})  # fmt: skip

    root, entries = feed_entries(client, language="ar")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["مبادرة أحدث", "مبادرة أقدم"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/ar/initiatives/{newer.pk}/")
    assert entries[0].findtext(f"{ATOM}updated")

    _root, entries = feed_entries(client, language="fr")
    # No French title: the feed falls back (site language first, then the original).
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Newer initiative",
        "مبادرة أقدم",
    ]
    # A summary is HTML to feed readers: the markup typed in it stays text.
    assert entries[0].findtext(f"{ATOM}summary") == "&lt;b&gt;x&lt;/b&gt;"
    raw = client.get("/en/data/feed/").content.decode()
    assert "Pending title" not in raw and "Draft title" not in raw


def test_the_feed_of_a_search_holds_its_entries_and_says_what_it_is(client, people):
    publish(people, title={"en": "Moroccan programme"}, countries=["MA"])
    publish(people, title={"en": "Tunisian programme"}, countries=["TN"])
    root, entries = feed_entries(client, "countries=MA")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Moroccan programme"]
    assert "Morocco" in root.findtext(f"{ATOM}title")
    alternate = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert alternate[0].get("href").endswith("/en/initiatives/?countries=MA")


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr")])
def test_the_open_data_page_states_the_licence_and_links_every_download(
    client, people, language, direction
):
    publish(people)
    html = client.get(f"/{language}/data/").content.decode()
    assert f'dir="{direction}"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    assert "CC BY 4.0" in html
    for format in ("csv", "xlsx", "json", "jsonl"):
        assert f'href="/{language}/data/export.{format}"' in html
    assert f'href="/{language}/data/feed/"' in html
    assert f'href="/{language}/data/dictionary/"' in html
    assert 'href="/api/v1/docs/"' in html


def test_the_licence_is_a_setting(client, settings):
    settings.OPEN_DATA_LICENCE_NAME = "ODbL 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    settings.OPEN_DATA_ATTRIBUTION = "Data: Example Observatory"
    html = client.get("/en/data/").content.decode()
    assert 'href="https://opendatacommons.org/licenses/odbl/1-0/" rel="license"' in html
    assert "Data: Example Observatory" in html
    response = client.get("/en/data/export.jsonl")
    assert response["Link"] == '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"'


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr")])
def test_the_dictionary_documents_every_column(client, language, direction):
    html = client.get(f"/{language}/data/dictionary/").content.decode()
    assert f'dir="{direction}"' in html
    for column in COLUMNS:
        assert f'id="column-{column.name}"' in html
    assert set(EXPORT_HEADER) <= {column.name for column in COLUMNS}
    assert html.count('<tr id="column-') == len(COLUMNS)


def test_the_site_navigation_links_to_the_open_data(client):
    html = client.get("/en/").content.decode()
    assert 'href="/en/data/"' in html


def test_a_licence_without_a_web_address_stops_the_app(settings):
    assert check_open_data_licence(None) == []
    settings.OPEN_DATA_LICENCE_URL = "creativecommons.org/licenses/by/4.0"
    settings.OPEN_DATA_LICENCE_NAME = " "
    ids = [error.id for error in check_open_data_licence(None)]
    assert ids == ["stocktake.opendata.E001", "stocktake.opendata.E002"]
