"""The two full-text backends. Each turns a SearchQuery into SQL selecting (id, score) of the
matching entries, higher score first. Terms are analysed already and contain only letters and
digits, so both render them quoted without further escaping; matching is on whole terms in
both, which is why they find the same entries.

Ranking weighs where a term was found: title, then organisations, then vocabulary labels,
then body texts. The two rank with different formulas (BM25 for FTS5, ts_rank for
PostgreSQL), so the order of equally relevant entries may differ between them; the set of
entries found does not.
"""

from django.db import connection

from .query import Clause, SearchQuery

# Column weights: title, organisations, labels, body.
FTS5_WEIGHTS = (10.0, 6.0, 3.0, 1.0)
# ts_rank takes them in the order D, C, B, A: body, labels, organisations, title.
TSRANK = "ts_rank('{0.1, 0.3, 0.6, 1.0}'::float4[], vector, q)"


class SQLiteBackend:
    """FTS5: `"term"` and `"phrase of terms"`, OR, AND, NOT."""

    def _clause(self, clause: Clause) -> str:
        options = ['"' + " ".join(alternative) + '"' for alternative in clause.alternatives]
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

    def _any(self, clauses: tuple[Clause, ...]) -> str:
        return " OR ".join(self._clause(clause) for clause in clauses)

    def matches(self, query: SearchQuery) -> tuple[str, list]:
        required, excluded = query.required, query.excluded
        if not required:
            return (
                "SELECT initiative_id AS id, 0.0 AS score FROM search_searchdocument "
                "WHERE initiative_id NOT IN "
                "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
                [self._any(excluded)],
            )
        expression = " AND ".join(self._clause(clause) for clause in required)
        if excluded:
            expression = f"({expression}) NOT ({self._any(excluded)})"
        weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS)
        return (
            f"SELECT rowid AS id, -bm25(search_fts, {weights}) AS score "  # noqa: S608 (constants)
            "FROM search_fts WHERE search_fts MATCH %s",
            [expression],
        )


class PostgreSQLBackend:
    """tsquery: `'term'`, `'a' <-> 'b'` for phrases, |, &, !."""

    def _clause(self, clause: Clause) -> str:
        options = [
            "(" + " <-> ".join(f"'{term}'" for term in alternative) + ")"
            for alternative in clause.alternatives
        ]
        return "(" + " | ".join(options) + ")"

    def _any(self, clauses: tuple[Clause, ...]) -> str:
        return " | ".join(self._clause(clause) for clause in clauses)

    def matches(self, query: SearchQuery) -> tuple[str, list]:
        required, excluded = query.required, query.excluded
        if not required:
            return (
                "SELECT initiative_id AS id, 0.0 AS score FROM search_searchdocument "
                "WHERE NOT (vector @@ to_tsquery('simple', %s))",
                [self._any(excluded)],
            )
        expression = " & ".join(self._clause(clause) for clause in required)
        if excluded:
            expression = f"({expression}) & !({self._any(excluded)})"
        return (
            f"SELECT initiative_id AS id, {TSRANK} AS score "  # noqa: S608 (constants)
            "FROM search_searchdocument, to_tsquery('simple', %s) AS q WHERE vector @@ q",
            [expression],
        )


def backend():
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}")
