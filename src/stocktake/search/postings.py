"""Ready matches for common terms (models.SearchPosting), shared by the writes (services.py)
and the reads (selectors.py).

A term's posting is the Roaring bitmap of the entries whose document holds it, in one
`column`: `all` (any of the four analysed columns, what matching reads) or `title` and
`organisations` (what ranking reads). The terms are the documents' own analysed terms, split
as both full-text backends split them, so a posting holds exactly the entries the backend
would find for that term.
"""

from pyroaring import BitMap

from .analysis import SEPARATOR

# A term gets a posting when at least this many entries hold it: below that, the full-text
# index gives its matches about as fast (a thousand ids are some 0.2 ms on SQLite).
COMMON_ENTRIES = 1000
# Matching reads `all`; ranking reads the title and the organisation names.
COLUMNS = ("all", "title", "organisations")
DOCUMENT_COLUMNS = ("title", "organisations", "labels", "body")


def document_terms(texts: dict[str, str]) -> dict[str, set[str]]:
    """{column: terms} of one document's analysed columns ({"title": "...", ...})."""
    split = {name: set((texts.get(name) or "").split()) for name in DOCUMENT_COLUMNS}
    for terms in split.values():
        terms.discard(SEPARATOR)
    return {
        "all": set().union(*split.values()),
        "title": split["title"],
        "organisations": split["organisations"],
    }


def read(stored) -> BitMap:
    """A posting as stored (bytes, or a memoryview from PostgreSQL)."""
    return BitMap.deserialize(bytes(stored))


def written(ids: BitMap) -> bytes:
    ids.run_optimize()
    return ids.serialize()
