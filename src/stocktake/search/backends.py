"""The two full-text backends. Each turns a SearchQuery into SQL: `matches` selects the ids of
the matching entries; `in_column` the ids of entries with one searched word or phrase in
their title, or in their organisation names (for ranking: selectors.py). Terms are analysed
already and contain only letters and digits, so both render them quoted without further
escaping; matching is on whole terms in both, which is why they find the same entries and
rank them the same way.
"""

from abc import ABC, abstractmethod
from itertools import pairwise

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .analysis import PAIR
from .query import Clause, SearchQuery

# The columns ranking looks in, and their vectors on PostgreSQL (migration 0004).
HEAD_COLUMNS = {"title": "title_vector", "organisations": "organisations_vector"}


class _Lookups(ABC):
    """What the two backends share: ranking's lookups read together."""

    concatenated_ids: str

    @abstractmethod
    def in_column(self, clause: Clause, column: str) -> tuple[str, list]:
        """SQL selecting the ids of the entries with `clause` in `column` (HEAD_COLUMNS)."""

    def in_columns(self, lookups: list[tuple[Clause, str]]) -> tuple[str, list]:
        """`in_column` of each (clause, column), in one query of one row: the ids of each
        as one concatenated value (a round trip to the server for all of a search's ranking
        lookups, instead of one for each)."""
        parts, params = [], []
        for clause, column in lookups:
            sql, clause_params = self.in_column(clause, column)
            parts.append(f"({self.concatenated_ids.format(sql)})")
            params += clause_params
        return "SELECT " + ", ".join(parts), params


class SQLiteBackend(_Lookups):
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

    def in_column(self, clause: Clause, column: str) -> tuple[str, list]:
        if column not in HEAD_COLUMNS:
            raise ValueError(f"Not a ranked column: {column}")
        # In the small index of the title and organisation names (migration 0003).
        return (
            "SELECT rowid AS id FROM search_head_fts WHERE search_head_fts MATCH %s",
            ["{" + column + "} : " + self._clause(clause)],
        )


class PostgreSQLBackend(_Lookups):
    """tsquery: `'term'`, `'a' <-> 'b'` for phrases, |, &, !."""

    concatenated_ids = "SELECT string_agg(id::text, ',') FROM ({}) AS matches"

    # Each lookup is sent with the planner setting it needs, in one message to the server
    # (psycopg's client-side binding, Django's default, sends the statements together).
    # Sequential scans are ruled out: the planner does not count what reading each row's
    # vector out of TOAST costs, so for a common word it picks a scan of every row (165 ms
    # at 20,000 entries) over the GIN index (14 ms). SET LOCAL lasts to the end of the
    # transaction: the statements of one message make one, unless an outer transaction is
    # open, which is why the setting is put back after the lookup as well.
    _lookup = "SET LOCAL enable_seqscan = off; {}; SET LOCAL enable_seqscan TO DEFAULT"

    def fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(self._lookup.format(sql), params)
            cursor.nextset()  # past the setting, to the lookup's rows
            return cursor.fetchall()

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
            "SELECT initiative_id AS id FROM search_vectors WHERE "  # noqa: S608 (built from constants)
            + " AND ".join(conditions),
            params,
        )

    def in_column(self, clause: Clause, column: str) -> tuple[str, list]:
        """In the column's own vector (migration 0004): a word needs no re-reading of it."""
        options = [
            "(" + " <-> ".join(f"'{term}'" for term in alternative) + ")"
            for alternative in clause.alternatives
        ]
        return (
            f"SELECT initiative_id AS id FROM search_vectors WHERE {HEAD_COLUMNS[column]} "  # noqa: S608 (constants)
            "@@ %s::tsquery",
            [" | ".join(options)],
        )


def backend():
    if connection.vendor == "postgresql":
        if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
            raise ImproperlyConfigured(
                "Search sends each lookup with its planner setting in one message, which "
                "needs psycopg's client-side binding: remove server_side_binding from the "
                "database OPTIONS."
            )
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise ImproperlyConfigured(
        f"Search needs SQLite or PostgreSQL; the database in use is {connection.vendor}."
    )
