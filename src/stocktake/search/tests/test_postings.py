"""Ready matches of common terms (postings.py): a search served from them finds and ranks
exactly what the full-text index alone does, and every index write keeps them in step."""

import pytest
from django.core.management import call_command
from django.db import transaction

from stocktake.initiatives import services
from stocktake.initiatives.generator import generate
from stocktake.initiatives.tests.factories import edit, make_org, make_published, make_user
from stocktake.organisations.services import organisation_update
from stocktake.search import postings
from stocktake.search import services as search_services
from stocktake.search.backends import backend
from stocktake.search.models import SearchPosting
from stocktake.search.query import Clause, SearchQuery, parse_query
from stocktake.search.selectors import _id_bitmap, search_browse
from stocktake.search.services import search_postings_rebuild

pytestmark = pytest.mark.usefixtures("vocabularies")

NEUTRAL = {"sdg_goals": ["17"], "sdg_targets": [], "technologies": [], "keywords": []}


def ranked(text: str, **filters) -> list[int]:
    result = search_browse(query=parse_query(text), filters=filters, sort="relevance")
    return result.ids(0, result.total)


def assert_postings_hold_what_the_full_text_index_finds() -> None:
    """Every posting holds exactly the entries the backend finds for its term and column."""
    search = backend()
    rows = SearchPosting.objects.values_list("column", "term", "ids", "entries")
    assert rows, "no postings to check"
    for column, term, stored, entries in rows:
        clause = Clause(words=(term,), alternatives=((term,),))
        if column == "all":
            expected = _id_bitmap(*search.matches(SearchQuery(text=term, clauses=(clause,))))
        else:
            expected = _id_bitmap(*search.in_column(clause, column))
        assert postings.read(stored) == expected, (column, term)
        assert entries == len(expected), (column, term)


def test_every_index_write_keeps_the_postings_in_step():
    moderator = make_user(moderator=True)
    author = make_user()
    organisation = make_org(members=[author], names={"en": "Ministry of Solar Energy"})
    first = make_published(
        author=author,
        organisation=organisation,
        moderator=moderator,
        title={"en": "Solar telemedicine kiosks"},
        **NEUTRAL,
    )
    second = make_published(
        author=author,
        organisation=organisation,
        moderator=moderator,
        title={"en": "Solar classrooms"},
        **NEUTRAL,
    )
    assert search_postings_rebuild(minimum=1)
    assert set(ranked("solar")) == {first.pk, second.pk}

    # A new entry, an edit published, a withdrawal, a rename of the organisation.
    third = make_published(
        author=author,
        organisation=organisation,
        moderator=moderator,
        title={"en": "Solar telemedicine vans"},
        **NEUTRAL,
    )
    assert_postings_hold_what_the_full_text_index_finds()
    assert ranked("telemedicine") == [third.pk, first.pk]
    edit(first, user=author, title={"en": "Rural classrooms"})
    services.initiative_submit(user=author, initiative=first)
    services.initiative_publish(moderator=moderator, initiative=first)
    assert_postings_hold_what_the_full_text_index_finds()
    assert ranked("telemedicine") == [third.pk]
    assert set(ranked("classrooms")) == {first.pk, second.pk}
    services.initiative_withdraw(user=author, initiative=second)
    assert_postings_hold_what_the_full_text_index_finds()
    assert ranked("classrooms") == [first.pk]
    organisation.refresh_from_db()
    organisation_update(
        actor=moderator,
        organisation=organisation,
        updated_at=organisation.updated_at,
        names={"en": "Ministry of Wind Energy"},
        stakeholder_type="government",
        country="TN",
    )
    assert_postings_hold_what_the_full_text_index_finds()
    assert ranked("solar") == [third.pk] and set(ranked("wind")) == {first.pk, third.pk}


def test_a_failed_write_leaves_the_postings_as_they_were():
    moderator = make_user(moderator=True)
    published = make_published(title={"en": "Drone mapping"}, moderator=moderator, **NEUTRAL)
    search_postings_rebuild(minimum=1)
    before = dict(SearchPosting.objects.values_list("term", "ids"))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.initiative_archive(moderator=moderator, initiative=published)
        raise RuntimeError("rolled back")
    assert dict(SearchPosting.objects.values_list("term", "ids")) == before
    assert ranked("drone") == [published.pk]


def test_only_terms_held_by_enough_entries_are_posted_and_reindex_chooses_them(capsys):
    for n in range(3):
        make_published(title={"en": f"Broadband survey {n}"}, **NEUTRAL)
    make_published(title={"en": "Seaweed sensors"}, **NEUTRAL)
    assert search_postings_rebuild(minimum=3)
    posted = set(SearchPosting.objects.filter(column="all").values_list("term", flat=True))
    assert {"broadband", "survey"} <= posted and not posted & {"seawe", "seaweed", "sensor"}
    # A common term has its title and organisation postings too, even empty ones.
    assert set(SearchPosting.objects.filter(column="title").values_list("term", flat=True)) == (
        posted
    )
    assert SearchPosting.objects.get(column="organisations", term="survey").entries == 0
    SearchPosting.objects.all().delete()
    call_command("reindex", "--common-terms")
    assert "ready matches of" in capsys.readouterr().out
    # The default minimum is far above this handful of entries: nothing is common here.
    assert postings.COMMON_ENTRIES > 4 and not SearchPosting.objects.exists()
    assert len(ranked("broadband")) == 3


def _all_postings() -> dict[tuple[str, str], object]:
    rows = SearchPosting.objects.values_list("column", "term", "ids")
    return {(column, term): postings.read(ids) for column, term, ids in rows}


def test_generating_entries_chooses_the_ready_matches_once_at_the_end(monkeypatch):
    """The generator drops the ready matches before its batches (each would rewrite them)
    and chooses them afresh after: the same postings as a rebuild."""
    make_published(title={"en": "Broadband survey"}, **NEUTRAL)
    search_postings_rebuild(minimum=1)
    assert SearchPosting.objects.exists()
    tracked_per_write = []
    original = search_services._tracked_postings
    monkeypatch.setattr(
        search_services,
        "_tracked_postings",
        lambda: tracked_per_write.append(len(tracked := original())) or tracked,
    )
    monkeypatch.setattr(postings, "COMMON_ENTRIES", 1)
    generate(count=40, seed=7, batch_size=10)
    # Each batch's index write found no posting to keep in step.
    assert len(tracked_per_write) >= 4 and not any(tracked_per_write)
    generated = _all_postings()
    assert ("all", "broadband") in generated
    search_postings_rebuild(minimum=1)
    assert generated == _all_postings()
