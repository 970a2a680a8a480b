"""The two full-text backends. Each turns a SearchQuery into SQL: `matches` selects the ids of
the matching entries; `ranked_head` the ids of entries with any of the searched words in
their title or organisation names, best first. Terms are analysed already and contain only
letters and digits, so both render them quoted without further escaping; matching is on whole
terms in both, which is why they find the same entries.

Ranking (decisions/0004-search.md): entries with the words in their title or organisation
names come first, ranked among themselves (BM25 on SQLite, ts_rank on PostgreSQL: the two may
order them differently); then every other match, most recently updated first. Scoring every
match of a common word costs a pass over all of them (40 ms for 50,000 matches on SQLite);
the title and organisation columns are small and few entries match there.
"""

from itertools import pairwise

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from .analysis import PAIR
from .query import Clause, SearchQuery

# BM25 column weights: title, organisations (the other two columns are not ranked).
FTS5_HEAD_WEIGHTS = "10.0, 6.0, 0.0, 0.0"
# ts_rank takes them in the order D, C, B, A; the head vector has A (title), B (organisations).
TSRANK_HEAD = "ts_rank('{0.0, 0.0, 0.6, 1.0}'::float4[], head, q)"


class SQLiteBackend:
    """FTS5: `"term"` and `"phrase of terms"`, OR, AND, NOT, `{columns} :` filters."""

    # Ids as one comma-separated text: tens of thousands of rows cost more as rows.
    concatenated_ids = "SELECT group_concat(id) FROM ({}) AS matches"

    def fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _clause(self, clause: Clause) -> str:
        options = ['"' + " ".join(alternative) + '"' for alternative in clause.alternatives]
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

    def _any(self, clauses: tuple[Clause, ...]) -> str:
        return " OR ".join(self._clause(clause) for clause in clauses)

    def matches(self, query: SearchQuery) -> tuple[str, list]:
        required, excluded = query.required, query.excluded
        if not required:
            return (
                "SELECT initiative_id AS id FROM search_searchdocument WHERE initiative_id "
                "NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
                [self._any(excluded)],
            )
        expression = " AND ".join(self._clause(clause) for clause in required)
        if excluded:
            expression = f"({expression}) NOT ({self._any(excluded)})"
        return "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s", [expression]

    def ranked_head(self, query: SearchQuery) -> tuple[str, list]:
        return (
            "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608 (constants)
            f"ORDER BY bm25(search_fts, {FTS5_HEAD_WEIGHTS}), rowid DESC",
            ["{title organisations} : (" + self._any(query.required) + ")"],
        )


class PostgreSQLBackend:
    """tsquery: `'term'`, `'a' <-> 'b'` for phrases, |, &, !."""

    concatenated_ids = "SELECT string_agg(id::text, ',') FROM ({}) AS matches"

    def fetch(self, sql: str, params: list) -> list[tuple]:
        """Run a search with sequential scans ruled out: the planner does not count what
        reading each row's vector out of TOAST costs, so for a common word it picks a scan
        of every row (165 ms at 20,000 entries) over the GIN index (14 ms)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            try:
                cursor.execute(sql, params)
                return cursor.fetchall()
            finally:
                cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")

    def _clause(self, clause: Clause) -> str:
        options = [
            "(" + " <-> ".join(f"'{term}'" for term in alternative) + ")"
            for alternative in clause.alternatives
        ]
        return "(" + " | ".join(options) + ")"

    def _any(self, clauses: tuple[Clause, ...]) -> str:
        return " | ".join(self._clause(clause) for clause in clauses)

    def _condition(self, clause: Clause, params: list) -> str:
        """SQL true for an entry matching one clause, one index condition per kind of
        alternative (several ORed conditions would lead the planner to scan every row).
        Single terms are looked up in the vector; a two-word phrase is exactly its word
        pair; a longer phrase is its word pairs (from the pair index), then the phrase
        itself, checked on those entries only."""
        words = [alternative[0] for alternative in clause.alternatives if len(alternative) == 1]
        short = [alternative for alternative in clause.alternatives if len(alternative) == 2]
        long = [alternative for alternative in clause.alternatives if len(alternative) > 2]
        options = []
        if words:
            options.append("vector @@ %s::tsquery")
            params.append(" | ".join(f"'{word}'" for word in words))
        if short:
            options.append("pair_vector @@ %s::tsquery")
            params.append(" | ".join(f"'{a}{PAIR}{b}'" for a, b in short))
        if long:
            options.append("(pair_vector @@ %s::tsquery AND vector @@ %s::tsquery)")
            params.append(
                " | ".join(
                    "(" + " & ".join(f"'{a}{PAIR}{b}'" for a, b in pairwise(phrase)) + ")"
                    for phrase in long
                )
            )
            params.append(
                " | ".join("(" + " <-> ".join(f"'{t}'" for t in phrase) + ")" for phrase in long)
            )
        return "(" + " OR ".join(options) + ")"

    def matches(self, query: SearchQuery) -> tuple[str, list]:
        params: list = []
        conditions = [self._condition(clause, params) for clause in query.required]
        conditions += [f"NOT {self._condition(clause, params)}" for clause in query.excluded]
        return (
            "SELECT initiative_id AS id FROM search_searchdocument WHERE "  # noqa: S608 (built from constants)
            + " AND ".join(conditions),
            params,
        )

    def ranked_head(self, query: SearchQuery) -> tuple[str, list]:
        return (
            "SELECT initiative_id AS id FROM search_searchdocument, "  # noqa: S608 (constants)
            "to_tsquery('simple', %s) AS q WHERE head @@ q "
            f"ORDER BY {TSRANK_HEAD} DESC, initiative_id DESC",
            [self._any(query.required)],
        )


def backend():
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"Search needs SQLite or PostgreSQL; the database in use is {connection.vendor}."
    )
