"""Both backends find exactly the entries the query's meaning says, checked against a plain
Python reading of the same analysed documents. The suite runs on SQLite and on PostgreSQL,
so both backends are held to the same reference, hence to each other."""

import random

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stocktake.initiatives.generator import GENERIC_WORDS, WORDS, generate
from stocktake.initiatives.models import Revision
from stocktake.initiatives.tests.factories import make_published
from stocktake.search.backends import backend
from stocktake.search.models import SearchDocument
from stocktake.search.query import Clause, SearchQuery, parse_query
from stocktake.search.selectors import _bitmap, _id_bitmap, search_browse, search_cache_clear

pytestmark = pytest.mark.usefixtures("vocabularies")

COLUMNS = ("title", "organisations", "labels", "body")


def _has(columns: list[list[str]], phrase: tuple[str, ...]) -> bool:
    """The phrase's terms one after another within one column."""
    size = len(phrase)
    return any(
        tuple(terms[n : n + size]) == phrase
        for terms in columns
        for n in range(len(terms) - size + 1)
    )


def reference(query: SearchQuery, documents: dict[int, list[list[str]]]) -> set[int]:
    def matches(columns, clause):
        return any(_has(columns, alternative) for alternative in clause.alternatives)

    return {
        pk
        for pk, columns in documents.items()
        if all(matches(columns, clause) for clause in query.required)
        and not any(matches(columns, clause) for clause in query.excluded)
    }


def reference_in_column(clause: Clause, column: int, documents) -> set[int]:
    """Entries with the clause's word or phrase in one column (for ranking)."""
    return {
        pk
        for pk, columns in documents.items()
        if any(_has([columns[column]], alternative) for alternative in clause.alternatives)
    }


def queries(rng: random.Random) -> list[str]:
    words = [w for language in WORDS for w in WORDS[language] + GENERIC_WORDS[language]]
    texts = []
    for _n in range(40):
        one, two = rng.sample(words, 2)
        texts += [one, f"{one} {two}", f"{one} -{two}", f"-{one}"]
    # Phrases taken from the titles as written (so they exist), and the same words reversed.
    for titles in Revision.objects.filter(state="published").values_list("title", flat=True)[:30]:
        for title in titles.values():
            words = title.split()
            if len(words) >= 2:
                texts += [f'"{words[0]} {words[1]}"', f'"{words[1]} {words[0]}"']
    # Arabic words with clitics attached, and French without accents.
    texts += ["والتعليم", "بالبيانات", "للمدينة", "الصحه", "donnees", "education securite"]
    return texts


def test_the_backend_finds_what_the_reference_finds():
    generate(count=150, seed=7)
    documents = {
        pk: [column.split() for column in columns]
        for pk, *columns in SearchDocument.objects.values_list("initiative_id", *COLUMNS)
    }
    rng = random.Random(11)
    checked = 0
    for text in queries(rng):
        query = parse_query(text)
        if not query:
            continue
        expected = reference(query, documents)
        assert set(_id_bitmap(*backend().matches(query))) == expected, text
        for clause in query.required:
            for number, column in enumerate(("title", "organisations")):
                found = _id_bitmap(*backend().in_column(clause, column))
                assert set(found) == reference_in_column(clause, number, documents), text
        # The same lookups of every clause, read together in one query (as ranking does).
        lookups = [(clause, number) for clause in query.required for number in (0, 1)]
        if lookups:
            search = backend()
            columns = ("title", "organisations")
            [row] = search.fetch(*search.in_columns([(c, columns[n]) for c, n in lookups]))
            for (clause, number), ids in zip(lookups, row, strict=True):
                assert set(_bitmap(ids)) == reference_in_column(clause, number, documents), text
        checked += 1
    assert checked > 150


def test_the_backend_indexes_follow_the_documents_on_every_change():
    """Triggers keep each backend's own index in step with the documents' table: the FTS5
    tables on SQLite, the narrow vector table on PostgreSQL (a row per document there)."""
    generate(count=20, seed=3)
    query = parse_query("zyxwvut")

    def found() -> tuple[set[int], set[int]]:
        return (
            set(_id_bitmap(*backend().matches(query))),
            set(_id_bitmap(*backend().in_column(query.required[0], "title"))),
        )

    def vector_rows() -> tuple[int, int]:
        """(documents, documents without a vector row or vector rows without a document)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM search_searchdocument), "
                "(SELECT count(*) FROM search_vectors v FULL JOIN search_searchdocument d "
                "USING (initiative_id) WHERE v.initiative_id IS NULL OR d.initiative_id IS NULL)"
            )
            return cursor.fetchone()

    postgresql = connection.vendor == "postgresql"
    if postgresql:
        assert vector_rows()[1] == 0
    document = SearchDocument.objects.first()
    SearchDocument.objects.filter(pk=document.pk).update(title="zyxwvut")
    assert found() == ({document.pk}, {document.pk})
    SearchDocument.objects.filter(pk=document.pk).delete()
    assert found() == (set(), set())
    if postgresql:
        assert vector_rows() == (SearchDocument.objects.count(), 0)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks first (the test's
            cursor.execute("TRUNCATE search_searchdocument")  # own transaction holds them)
        assert vector_rows() == (0, 0)


def test_a_search_rules_out_sequential_scans_for_its_lookups_only():
    """PostgreSQL: each lookup of the full-text index carries its planner setting in the same
    statement (no extra round trip, no transaction to open), and the setting does not
    outlive it (here inside the test's transaction, as inside any outer one). SQLite has no
    such setting."""
    make_published(
        title={"en": "Seaweed farming sensors"}, sdg_goals=["17"], sdg_targets=[], keywords=[]
    )
    search_cache_clear()
    with CaptureQueriesContext(connection) as cold:
        result = search_browse(query=parse_query("seaweed sensors"), filters={})
    with CaptureQueriesContext(connection) as warm:
        search_browse(query=parse_query("seaweed sensors"), filters={})
    assert result.total == 1
    lookups = [q["sql"] for q in cold.captured_queries if "search_vectors" in q["sql"]]
    lookups += [q["sql"] for q in cold.captured_queries if "search_fts" in q["sql"]]
    assert lookups  # the matches and both ranked columns
    with_setting = [sql for sql in lookups if "enable_seqscan" in sql]
    if connection.vendor == "postgresql":
        assert with_setting == lookups
        for sql in lookups:
            assert sql.startswith("SET LOCAL enable_seqscan = off; SELECT")
            assert sql.endswith("; SET LOCAL enable_seqscan TO DEFAULT")
        # The lookup runs with it; no statement of its own sets it; and it is back as it was.
        assert backend().fetch("SELECT current_setting('enable_seqscan')", []) == [("off",)]
        alone = [
            q for q in cold.captured_queries if q["sql"].startswith("SET") and ";" not in q["sql"]
        ]
        assert not alone
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
    else:
        assert with_setting == []
    # Matches already known: no lookup.
    assert not [q for q in warm.captured_queries if "search_" in q["sql"] and "MATCH" in q["sql"]]
    assert not [q for q in warm.captured_queries if "@@" in q["sql"]]
    assert len(warm.captured_queries) < len(cold.captured_queries)


def test_postgresql_search_refuses_server_side_binding(monkeypatch):
    """Lookups go with their planner setting in one message, which psycopg sends only with
    client-side binding: a configuration that turns it off is refused with the reason."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite has no such option): run in make test's second pass")
    options = {**connection.settings_dict.get("OPTIONS", {}), "server_side_binding": True}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    with pytest.raises(ImproperlyConfigured, match="client-side binding"):
        backend()


def test_ranking_reads_the_columns_of_every_clause_in_one_query():
    """Words without ready matches and phrases are looked up in the title and organisation
    columns for ranking: all of a search's lookups in one query (one round trip), and kept
    for the index state."""
    titled = make_published(title={"en": "Seaweed farming sensors"}, keywords=[])
    # Newer (first when not ranked), with the words in its summary only.
    summary = make_published(
        title={"en": "Coastal monitoring"}, summary={"en": "Seaweed and farming sensors."}
    )
    make_published(title={"en": "Kelp seaweed farming sensors"}, keywords=[])  # left out
    search_cache_clear()
    query = parse_query('seaweed "farming sensors" -kelp')

    def ranking_lookups(queries) -> list[str]:
        return [
            q["sql"]
            for q in queries.captured_queries
            if "title_vector" in q["sql"] or "search_head_fts" in q["sql"]
        ]

    with CaptureQueriesContext(connection) as cold:
        result = search_browse(query=query, filters={}, sort="relevance")
    assert result.ids(0, 20) == [titled.pk, summary.pk]
    assert len(ranking_lookups(cold)) == 1
    with CaptureQueriesContext(connection) as warm:
        search_browse(query=parse_query('"farming sensors" seaweed'), filters={}, sort="relevance")
    assert ranking_lookups(warm) == []
