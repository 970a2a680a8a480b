"""The search test corpus (corpus.json): trilingual entries and the queries that must find them.

Each query of the corpus is one test, run on whichever backend the test database is (SQLite
FTS5 by default, PostgreSQL with DATABASE_URL=postgres://…): both must find the same entries.
The entries are made once per module through the real services (about 1 s on SQLite) inside a
transaction rolled back at the end; each test then runs in its own savepoint, as usual.
"""

import json
import re
from pathlib import Path

import pytest
from django.db import transaction

from stocktake.initiatives.tests.factories import (
    complete_content,
    make_org,
    make_published,
    make_user,
)
from stocktake.search.models import SearchPosting
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse, search_cache_clear
from stocktake.search.services import search_postings_rebuild
from stocktake.vocabularies.models import Scheme
from stocktake.vocabularies.services import vocabulary_load_all

from .test_postings import assert_postings_hold_what_the_full_text_index_finds

pytestmark = pytest.mark.usefixtures("vocabularies")

CORPUS = json.loads(Path(__file__).with_name("corpus.json").read_text(encoding="utf-8"))
ENTRIES = {entry["key"]: entry for entry in CORPUS["entries"]}
QUERIES = CORPUS["queries"]
ARABIC = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u017f]")


def entry_content(entry: dict) -> dict:
    """The entry as a content document, with every default of complete_content that would
    add words to the index (SDG 4 and target 4.4, AI, keywords, coverage, C7.3) replaced."""
    language = entry["original_language"]
    return complete_content(
        original_language=language,
        title={language: entry["title"]},
        summary={language: entry.get("summary", entry["description"])},
        description={language: entry["description"]},
        initiative_type=entry["initiative_type"],
        implementation_status=entry["implementation_status"],
        coverage="",
        countries=[entry["country"]],
        action_lines={"primary": entry["action_line"], "secondary": []},
        sdg_goals=["17"],
        sdg_targets=[],
        technologies=[],
        keywords=[],
    )


def build_corpus() -> dict[int, str]:
    """Publish every entry of the corpus; returns {initiative id: key}."""
    moderator = make_user(moderator=True)
    keys = {}
    for entry in CORPUS["entries"]:
        author = make_user()
        organisation = make_org(
            members=[author],
            names=entry["organisation"]["names"],
            stakeholder_type=entry["organisation"]["stakeholder_type"],
            country=entry["country"],
        )
        initiative = make_published(
            author=author, organisation=organisation, moderator=moderator, **entry_content(entry)
        )
        keys[initiative.pk] = entry["key"]
    return keys


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """{initiative id: key} of the published corpus, for the whole module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        if not Scheme.objects.exists():  # flushed by a transactional test run before
            vocabulary_load_all()
        yield build_corpus()
        transaction.set_rollback(True)


def found(keys: dict[int, str], text: str):
    result = search_browse(query=parse_query(text), filters={}, sort="relevance", with_counts=False)
    return [keys[pk] for pk in result.ids(0, result.total)], result


def _params() -> list:
    """One test per query, named by its language and rank in it (ar01, en01…); the failure
    message quotes the query."""
    params, numbers = [], dict.fromkeys(("ar", "en", "fr"), 0)
    for query in QUERIES:
        numbers[query["lang"]] += 1
        marks = []
        if query.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=query["xfail"]))
        params.append(
            pytest.param(query, id=f"{query['lang']}{numbers[query['lang']]:02d}", marks=marks)
        )
    return params


@pytest.mark.parametrize("query", _params())
def test_query_finds_its_entries(corpus, query):
    keys, result = found(corpus, query["q"])
    described = f"{query['q']!r} ({query['why']}) found {sorted(keys)}"
    assert keys, f"{described}: nothing"
    missing = [key for key in query["finds"] if key not in keys]
    assert not missing, f"{described}: missing {missing}"
    unwanted = [key for key in query["not"] if key in keys]
    assert not unwanted, f"{described}: should not find {unwanted}"
    if query.get("corrected"):
        assert result.corrected, f"{described}: without a spelling correction"
    else:
        # Morphology must match as written, not by the spelling tolerance's near words.
        assert not result.corrected, f"{described}: only by correcting {result.corrected}"


def test_corpus_is_well_formed():
    assert "written for the stocktake project" in CORPUS["source"].lower()
    assert {entry["original_language"] for entry in ENTRIES.values()} == {"ar", "en", "fr"}
    assert len(ENTRIES) == len(CORPUS["entries"]), "duplicate entry keys"
    texts = [query["q"] for query in QUERIES]
    assert len(set(texts)) == len(texts), "duplicate queries"
    for query in QUERIES:
        assert query["finds"], f"{query['q']!r} must find at least one entry"
        assert query["why"]
        assert set(query["finds"]) | set(query["not"]) <= set(ENTRIES), query["q"]
        assert not set(query["finds"]) & set(query["not"]), query["q"]
        script = ARABIC if query["lang"] == "ar" else LATIN
        assert script.search(query["q"]), f"{query['q']!r} is not written in {query['lang']}"


def test_corpus_covers_the_three_languages_and_every_kind_of_query():
    by_language = {
        language: [query for query in QUERIES if query["lang"] == language]
        for language in ("ar", "en", "fr")
    }
    assert all(len(queries) >= 15 for queries in by_language.values()), {
        language: len(queries) for language, queries in by_language.items()
    }
    texts = [query["q"] for query in QUERIES]
    assert any(text.startswith('"') and len(text.split()) > 1 for text in texts)  # phrases
    assert any(" -" in text for text in texts)  # exclusions
    for queries in by_language.values():
        # A misspelling that must be corrected, and queries that must leave entries out.
        assert any(query.get("corrected") and not query.get("xfail") for query in queries)
        assert any(query["not"] for query in queries)


def test_corpus_holds_the_issue_examples():
    """The two examples of the issue: "الصحة الإلكترونية" finds an English entry on C7.4
    (whose Arabic label it is), "cybersécurité" an Arabic entry on C5 (whose French
    description mentions it); neither is an expected failure."""
    by_text = {query["q"]: query for query in QUERIES}
    ehealth = [ENTRIES[key] for key in by_text["الصحة الإلكترونية"]["finds"]]
    assert any(e["original_language"] == "en" and e["action_line"] == "C7.4" for e in ehealth)
    security = [ENTRIES[key] for key in by_text["cybersécurité"]["finds"]]
    assert any(e["original_language"] == "ar" and e["action_line"] == "C5" for e in security)
    for text in ("الصحة الإلكترونية", "cybersécurité"):
        assert not by_text[text].get("xfail")


def ranked(keys: dict[int, str], text: str) -> list[str]:
    return found(keys, text)[0]


def counted(text: str) -> dict:
    return search_browse(query=parse_query(text), filters={}).counts


@pytest.mark.parametrize("minimum", [1, 2])
def test_searches_from_postings_find_rank_and_count_as_the_full_text_index(corpus, minimum):
    """Every query of the corpus (words, phrases, exclusions, Arabic, French, misspellings),
    with every term posted (1) and with only the terms of two entries or more (2), so that
    posted and full-text clauses meet in one query."""
    SearchPosting.objects.all().delete()
    search_cache_clear()
    texts = [query["q"] for query in QUERIES] + ["-santé", '-health -"digital health"']
    alone = {text: (ranked(corpus, text), counted(text)) for text in texts}
    assert search_postings_rebuild(minimum=minimum) > 0
    assert not SearchPosting.objects.filter(column="all", entries__lt=minimum).exists()
    search_cache_clear()
    assert_postings_hold_what_the_full_text_index_finds()
    for text in texts:
        assert (ranked(corpus, text), counted(text)) == alone[text], text
