"""Searching and narrowing down on the initiatives page, as visitors do."""

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stocktake.initiatives import services
from stocktake.initiatives.generator import generate
from stocktake.initiatives.tests.factories import make_org, make_published, make_user
from stocktake.search.browse import browse_index
from stocktake.search.query import parse_query
from stocktake.search.selectors import FACETS, search_browse

pytestmark = pytest.mark.usefixtures("vocabularies")

LIST = "/en/initiatives/"
NEUTRAL = {"sdg_goals": ["17"], "sdg_targets": [], "technologies": [], "keywords": []}


def entry(title: str, summary: str = "A short summary.", **content):
    return make_published(
        title={"en": title},
        summary={"en": summary},
        description={"en": summary},
        **{**NEUTRAL, **content},
    )


def page(client, path: str = LIST, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def unmarked(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def test_a_search_lists_matching_entries_with_the_words_marked(client):
    entry("Telemedicine for rural clinics", "Doctors consult patients in rural clinics remotely.")
    entry("Broadband for schools", "Schools get fibre.")
    html = page(client, q="clinic")
    assert "1 published initiative matches your search." in html
    assert "<mark>clinics</mark>" in html and "Broadband for schools" not in html
    assert 'name="q" value="clinic"' in html


def test_user_text_stays_escaped_when_marked(client):
    entry("<script>alert(1)</script> clinic", "<b>clinic</b> & more")
    html = page(client, q="clinic")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>clinic</mark>" in html
    assert "&lt;b&gt;<mark>clinic</mark>&lt;/b&gt; &amp; more" in html


def test_title_and_organisation_matches_rank_above_body_text(client):
    body = entry("Rural programme", "Includes a small telemedicine pilot among many other things.")
    title = entry("Telemedicine network", "Connects hospitals.")
    organisation = make_org(names={"en": "Telemedicine Agency"})
    by_organisation = entry("Unrelated name", organisation=organisation)
    ranked = search_browse(query=parse_query("telemedicine"), filters={}, sort="relevance")
    order = ranked.ids(0, 10)
    assert order.index(title.pk) < order.index(body.pk)
    assert order.index(by_organisation.pk) < order.index(body.pk)
    html = unmarked(page(client, q="telemedicine"))
    assert html.index("Telemedicine network") < html.index("Rural programme")


def test_relevance_counts_the_searched_words_in_the_title_then_organisation_then_recency():
    both_in_title = entry("Telemedicine for clinics")
    one_in_title = entry("Telemedicine pilot", "Serves clinics.")
    organisation = make_org(names={"en": "Clinics Association"})
    in_organisation = entry("Remote care", "Telemedicine at home.", organisation=organisation)
    one_in_title_newer = entry("Telemedicine app", "For clinics.")
    body_only_newest = entry("Rural care", "Telemedicine reaches clinics.")
    ranked = search_browse(query=parse_query("telemedicine clinics"), filters={}, sort="relevance")
    expected = [both_in_title, one_in_title_newer, one_in_title, in_organisation, body_only_newest]
    assert ranked.ids(0, 10) == [initiative.pk for initiative in expected]
    # Pages cut across the tiers without losing or repeating an entry.
    assert ranked.ids(0, 2) + ranked.ids(2, 2) + ranked.ids(4, 2) == ranked.ids(0, 10)


def test_relevance_is_offered_only_for_a_search_and_other_orders_still_apply(client):
    entry("Beta clinic")
    entry("Alpha clinic")
    assert "Relevance" not in page(client)
    html = page(client, q="clinic")
    assert '<option value="" selected>Relevance</option>' in html
    html = unmarked(page(client, q="clinic", sort="title"))
    assert html.index("Alpha clinic") < html.index("Beta clinic")


def test_phrases_and_excluded_words(client):
    entry("Open data portal")
    entry("Data for an open economy")
    html = unmarked(page(client, q='"open data"'))
    assert "Open data portal" in html and "open economy" not in html
    html = unmarked(page(client, q="data -portal"))
    assert "Open data portal" not in html and "open economy" in html
    html = page(client, q="-portal")
    assert "Open data portal" not in html and "open economy" in html


def test_a_misspelt_word_finds_the_near_spelling_and_says_so(client):
    entry("Telemedicine for rural clinics")
    html = page(client, q="telemedecine")
    assert "<mark>Telemedicine</mark> for rural clinics" in html  # the near spelling is marked
    assert "similar spellings are included: <strong>telemedicine</strong>" in html


def test_when_nothing_matches_the_page_offers_broader_searches_that_do(client):
    entry("Telemedicine in Egypt", countries=["EG"])
    entry("Solar schools", countries=["TN"])
    html = page(client, q="telemedicine solar")
    assert "No published initiative matches this search." in html
    assert "Broader searches that find entries" in html
    assert 'href="/en/initiatives/?q=telemedicine"' in html
    assert 'href="/en/initiatives/?q=solar"' in html
    html = page(client, q="telemedicine", countries="TN")
    assert "The same words without the filters" in html
    assert 'href="/en/initiatives/?q=telemedicine"' in html


def test_facets_show_counts_and_narrow_down_within_a_search(client):
    entry("Clinic in Egypt", countries=["EG"], action_lines={"primary": "C7.4", "secondary": []})
    entry("Clinic in Tunisia", countries=["TN"], action_lines={"primary": "C7.4", "secondary": []})
    entry("School in Tunisia", countries=["TN"], action_lines={"primary": "C7.3", "secondary": []})
    result = search_browse(query=parse_query("clinic"), filters={})
    assert result.counts["countries"] == {"EG": 1, "TN": 1}
    assert result.counts["wsis-action-lines"] == {"C7": 2, "C7.4": 2}
    assert result.counts["regions"]["LAS"] == 2
    html = unmarked(page(client, q="clinic", countries="TN"))
    assert "Clinic in Tunisia" in html and "Clinic in Egypt" not in html
    assert 'name="countries" value="TN" checked' in html


def test_broader_terms_take_in_their_narrower_ones():
    clinic = entry("Clinic", action_lines={"primary": "C7.4", "secondary": []})
    school = entry("School", action_lines={"primary": "C7.3", "secondary": []})
    other = entry("Other", action_lines={"primary": "C4", "secondary": []})
    result = search_browse(filters={"wsis-action-lines": ["C7"]})
    assert set(result.ids(0, 10)) == {clinic.pk, school.pk}
    assert other.pk not in result.ids(0, 10)


def test_start_year_stakeholder_type_and_region_facets():
    ngo = make_org(stakeholder_type="civil-society", country="MA")
    old = entry("Old", start_date=date(2015, 3, 1), countries=["MA"], organisation=ngo)
    new = entry("New", start_date=date(2024, 1, 1), countries=["FR"])
    assert search_browse(filters={"year": ["2015"]}).ids(0, 5) == [old.pk]
    assert search_browse(filters={"stakeholder-types": ["civil-society"]}).ids(0, 5) == [old.pk]
    assert search_browse(filters={"regions": ["LAS"]}).ids(0, 5) == [old.pk]
    assert new.pk in search_browse(filters={"regions": ["M49-150"]}).ids(0, 5)  # Europe


def test_every_facet_count_is_what_the_list_shows_when_that_value_is_chosen():
    generate(count=120, seed=3)
    rng = random.Random(5)
    states = [{}, {"countries": ["EG", "MA"]}, {"wsis-action-lines": ["C7.1"], "year": ["2020"]}]
    for query in ("", "health", "الصحة"):
        for filters in states:
            result = search_browse(query=parse_query(query), filters=filters)
            assert result.total == len(result.ids(0, 10_000))
            for facet in FACETS:
                counts = result.counts[facet]
                for value in rng.sample(sorted(counts), min(4, len(counts))):
                    chosen = {**filters, facet: [value]}
                    alone = search_browse(query=parse_query(query), filters=chosen)
                    assert alone.total == counts[value], (query, filters, facet, value)


def test_the_page_updates_in_place_with_htmx_and_whole_for_a_history_restore(client):
    entry("Clinic")
    partial = client.get(LIST, {"q": "clinic"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="browse"' in partial
    assert 'id="result-count"' in partial and 'hx-swap-oob="true"' in partial
    restore = client.get(
        LIST, {"q": "clinic"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    assert "<html" in restore


def test_the_search_form_works_without_javascript(client):
    html = page(client)
    assert '<form method="get" action="/en/initiatives/"' in html and 'role="search"' in html
    assert '<label for="search-q">' in html
    assert html.count('type="submit"') >= 2  # search, and apply the facets


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": '"""---'},
        {"q": '"unclosed phrase'},
        {"q": "-"},
        {"q": "the of and"},
        {"q": "\x00\u202e"},
        {"q": "clinic", "sort": "sideways", "page": "abc"},
        {"year": "not-a-year", "countries": "ZZ"},
        {"q": "clinic", "page": "999"},
    ],
)
def test_odd_input_never_fails(client, params):
    entry("Clinic")
    assert client.get(LIST, params).status_code == 200


def test_the_search_page_query_count_does_not_grow_with_entries(client):
    for n in range(3):
        entry(f"Clinic {n}")
    with CaptureQueriesContext(connection) as few:
        page(client, q="clinic")
    for n in range(15):
        entry(f"Clinic more {n}", countries=["EG", "MA"])
    with CaptureQueriesContext(connection) as many:
        html = page(client, q="clinic", countries="EG")
    assert len(many.captured_queries) <= len(few.captured_queries)
    assert html.count('class="entry-card"') == 15


def test_a_page_worked_out_on_a_stale_browse_index_is_worked_out_again(client):
    """A page is worked out on the index as the process last found it, and checked by the
    index state its entries' query reads: entries published or withdrawn since, by this
    process or another, show at once."""
    moderator = make_user(moderator=True)
    first = entry("Clinic one")
    assert "Clinic one" in page(client)  # this process's index now holds the first entry
    second = entry("Clinic two")
    html = unmarked(page(client, q="clinic"))
    assert "Clinic one" in html and "Clinic two" in html
    assert "2 published initiatives match your search." in html
    services.initiative_archive(moderator=moderator, initiative=first)
    html = unmarked(page(client, q="clinic"))
    assert "Clinic one" not in html and "1 published initiative matches your search." in html
    before = browse_index()
    services.initiative_archive(moderator=moderator, initiative=second)
    # No entry left to read the state with: the index is checked on its own.
    html = page(client, q="clinic")
    assert "No published initiative matches this search." in html
    assert browse_index(check=False) is not before


def test_arabic_search_page_is_right_to_left_and_finds_arabic_forms(client):
    make_published(
        original_language="ar",
        title={"ar": "منصة التعليم الإلكتروني للمدارس"},
        summary={"ar": "دروس رقمية للمعلمين والطلاب."},
        description={"ar": "دروس رقمية للمعلمين والطلاب."},
        **NEUTRAL,
    )
    html = page(client, "/ar/initiatives/", q="والتعليم")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<mark>التعليم</mark>" in html
    assert "منصة" in page(client, "/ar/initiatives/", q="منصات")


def test_a_snippet_from_formatted_text_shows_the_words_without_the_markup(client):
    make_published(
        title={"en": "Rural clinics"},
        summary={"en": "Clinics in villages."},
        description={"en": "## Aims\n\nA **telemedicine** [pilot](https://example.org/x) <script>"},
        **NEUTRAL,
    )
    html = page(client, q="telemedicine")
    snippet = html[html.index("entry-card-snippet") :].split("</p>")[0]
    assert "Aims\n\nA <mark>telemedicine</mark> pilot &lt;script&gt;" in snippet
    assert "**" not in snippet and "#" not in snippet and "example.org" not in snippet


def test_descriptions_are_read_only_for_rows_whose_summary_has_no_match(client):
    entry("Clinic one", "Doctors visit villages.")
    entry("Clinic two", "Telemedicine for villages.")
    with CaptureQueriesContext(connection) as summaries:
        html = page(client, q="telemedicine")
    assert "<mark>Telemedicine</mark> for villages." in html
    for n in range(3):
        make_published(
            title={"en": f"Rural health {n}"},
            summary={"en": "Doctors visit villages."},
            description={"en": f"A telemedicine pilot, number {n}."},
            **NEUTRAL,
        )
    with CaptureQueriesContext(connection) as descriptions:
        html = page(client, q="telemedicine")
    assert html.count("A <mark>telemedicine</mark> pilot, number") == 3
    assert "<mark>Telemedicine</mark> for villages." in html
    # The three descriptions in one query; none read while no row needed one.
    read = [q["sql"] for q in descriptions.captured_queries if '"description"' in q["sql"]]
    assert len(read) == 1
    assert not any('"description"' in q["sql"] for q in summaries.captured_queries)


def test_a_search_in_another_language_shows_the_snippet_in_that_language(client):
    make_published(
        original_language="ar",
        title={"ar": "منصة التعليم", "en": "Learning platform"},
        summary={"ar": "دروس رقمية للمدارس.", "en": "Digital lessons."},
        description={"ar": "دروس رقمية للمدارس."},
        **NEUTRAL,
    )
    html = page(client, q="للمدارس")
    assert "Learning platform" in html  # the title in the reader's language
    assert 'lang="ar" dir="rtl">دروس رقمية <mark>للمدارس</mark>.' in html


def test_a_snippet_of_a_long_text_is_cut_and_says_so(client):
    words = " ".join(["lorem"] * 30)
    entry("Rural clinics", f"{words} telemedicine {words} " + "ipsum " * 400)
    snippet = page(client, q="telemedicine").split("entry-card-snippet")[1].split("</p>")[0]
    assert "<mark>telemedicine</mark>" in snippet
    assert snippet.startswith('" lang="en" dir="ltr">…') and snippet.endswith("…")
