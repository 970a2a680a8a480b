"""The vocabulary browser in each language."""

import pytest
from django.utils.html import escape

from stocktake.vocabularies.models import Scheme

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr")])
def test_scheme_list_renders_in_each_language(client, language, direction):
    response = client.get(f"/{language}/vocabularies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "/vocabularies/sdg-targets/" in html


def test_scheme_page_shows_terms_as_a_tree_with_labels_in_the_page_language(client):
    html = client.get("/fr/vocabularies/wsis-action-lines/").content.decode()
    assert "Cybersanté" in html
    c7 = html.index("/fr/vocabularies/wsis-action-lines/C7/")
    nested = html.index("/fr/vocabularies/wsis-action-lines/C7.4/")
    c8 = html.index("/fr/vocabularies/wsis-action-lines/C8/")
    assert c7 < nested < c8


def test_sdg_targets_are_listed_under_their_goals(client):
    html = client.get("/en/vocabularies/sdg-targets/").content.decode()
    goal = html.index("/en/vocabularies/sdg-goals/9/")
    assert (
        goal
        < html.index("/en/vocabularies/sdg-targets/9.c/")
        < html.index("/en/vocabularies/sdg-goals/10/")
    )


def test_action_line_page_shows_its_crosswalk_links(client):
    html = client.get("/en/vocabularies/wsis-action-lines/C5/").content.decode()
    assert "/en/vocabularies/sdg-targets/" in html
    assert "/en/vocabularies/gdc-objectives/" in html


def test_sdg_target_page_links_back_to_the_action_lines(client, django_assert_max_num_queries):
    from stocktake.vocabularies.models import CrosswalkLink

    link = CrosswalkLink.objects.filter(
        crosswalk__identifier="wsis-action-lines-to-sdg-targets"
    ).select_related("from_term", "to_term")[0]
    with django_assert_max_num_queries(8):
        response = client.get(f"/en/vocabularies/sdg-targets/{link.to_term.code}/")
    html = response.content.decode()
    assert f"/en/vocabularies/wsis-action-lines/{link.from_term.code}/" in html


def test_term_page_shows_labels_in_every_language(client):
    html = client.get("/ar/vocabularies/countries/TN/").content.decode()
    assert "Tunisia" in html and "Tunisie" in html and "تونس" in html
    assert '<html lang="ar" dir="rtl">' in html


def test_country_page_lists_the_regions_it_belongs_to(client):
    html = client.get("/en/vocabularies/countries/EG/").content.decode()
    assert "/en/vocabularies/regions/LAS/" in html


def test_region_page_lists_its_member_countries(client):
    html = client.get("/en/vocabularies/regions/LAS/").content.decode()
    for code in ("DZ", "KM", "PS", "YE"):
        assert f"/en/vocabularies/countries/{code}/" in html


def test_unknown_scheme_and_term_are_404(client):
    assert client.get("/en/vocabularies/nothing/").status_code == 404
    assert client.get("/en/vocabularies/sdg-goals/99/").status_code == 404


def test_scheme_list_query_count_is_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/en/vocabularies/")


def test_schemes_are_listed_in_display_order_action_lines_first(client):
    html = client.get("/en/vocabularies/").content.decode()
    positions = [
        html.index(f"/en/vocabularies/{scheme}/")
        for scheme in ("wsis-action-lines", "sdg-goals", "sdg-targets", "countries", "regions")
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_english_source_note_is_marked_as_english_left_to_right(client, language):
    source = escape(Scheme.objects.get(identifier="sdg-goals").source)
    scheme_page = client.get(f"/{language}/vocabularies/sdg-goals/").content.decode()
    assert f'<dd lang="en" dir="ltr">{source}</dd>' in scheme_page
    term_page = client.get(f"/{language}/vocabularies/sdg-goals/4/").content.decode()
    assert f'<span lang="en" dir="ltr">{source}</span>' in term_page
