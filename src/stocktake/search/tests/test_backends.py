"""Both backends find exactly the entries the query's meaning says, checked against a plain
Python reading of the same analysed documents. The suite runs on SQLite and on PostgreSQL,
so both backends are held to the same reference, hence to each other."""

import random

import pytest

from stocktake.initiatives.generator import GENERIC_WORDS, WORDS, generate
from stocktake.initiatives.models import Revision
from stocktake.search.backends import backend
from stocktake.search.models import SearchDocument
from stocktake.search.query import SearchQuery, parse_query
from stocktake.search.selectors import _ids

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


def reference_head(query: SearchQuery, documents: dict[int, list[list[str]]]) -> set[int]:
    """Entries with any of the required words or phrases in the title or organisations."""
    return {
        pk
        for pk, columns in documents.items()
        if any(
            _has(columns[:2], alternative)
            for clause in query.required
            for alternative in clause.alternatives
        )
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
        assert set(_ids(*backend().matches(query))) == expected, text
        if query.required:
            head = _ids(*backend().ranked_head(query))
            assert set(head) == reference_head(query, documents), text
            assert len(head) == len(set(head)), text
        checked += 1
    assert checked > 150
