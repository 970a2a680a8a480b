"""The demo data set loads through the real services into every workflow state."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stocktake.initiatives.demo import load_demo
from stocktake.initiatives.models import Initiative, RevisionState, RevisionTerm, Status
from stocktake.initiatives.selectors import initiative_public_list
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_demo_has_sixty_entries_across_fifteen_arab_countries_in_every_state():
    counts = load_demo()
    assert counts["initiatives"] >= 60
    states = Counter(Initiative.objects.values_list("status", flat=True))
    assert set(states) == set(Status.values)
    assert (
        Initiative.objects.filter(working_revision__state=RevisionState.SUBMITTED)
        .exclude(published_revision=None)
        .exists()
    )  # a published entry with a pending revision
    countries = set(
        RevisionTerm.objects.filter(term__scheme__identifier="countries").values_list(
            "term__code", flat=True
        )
    )
    arab_league = set("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE".split())
    assert len(countries & arab_league) >= 15
    languages = Counter(i.published_revision.original_language for i in initiative_public_list())
    assert set(languages) == {"ar", "en", "fr"}
    bilingual = [i for i in initiative_public_list() if len(i.published_revision.summary) > 1]
    assert bilingual


def test_the_demo_is_searchable_in_its_backdated_order():
    load_demo()
    published = initiative_public_list()
    result = search_browse(filters={}, with_counts=False)
    assert result.total == published.count()
    assert result.ids(0, 20) == list(published.values_list("pk", flat=True)[:20])
    assert search_browse(query=parse_query("الذكاء الاصطناعي"), filters={}).total > 0


def test_loading_the_demo_twice_adds_nothing():
    load_demo()
    before = Initiative.objects.count()
    assert load_demo()["initiatives"] == 0
    assert Initiative.objects.count() == before


def test_the_demo_command_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
