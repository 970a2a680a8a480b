"""The full-text index for the database in use: an FTS5 table kept in step with
search_searchdocument by triggers (SQLite), or weighted tsvector columns with GIN indexes
(PostgreSQL): one of every column for matching, one of the title and organisation names for
ranking. Both read the same analysed columns, so both match the same entries."""

from django.db import migrations

COLUMNS = "title, organisations, labels, body"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS}, content='search_searchdocument', content_rowid='initiative_id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES (new.initiative_id, new.title, new.organisations, new.labels, new.body);
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.initiative_id, old.title, old.organisations, old.labels, old.body);
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.initiative_id, old.title, old.organisations, old.labels, old.body);
        INSERT INTO search_fts(rowid, {COLUMNS})
        VALUES (new.initiative_id, new.title, new.organisations, new.labels, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, organisations), 'B')
        || setweight(to_tsvector('simple'::regconfig, labels), 'C')
        || setweight(to_tsvector('simple'::regconfig, body), 'D')) STORED""",
    "CREATE INDEX search_document_vector_idx ON search_searchdocument USING gin (vector)",
    # Title and organisation names alone, for ranking (small, so ts_rank reads little).
    """ALTER TABLE search_searchdocument ADD COLUMN head tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, organisations), 'B')) STORED""",
    "CREATE INDEX search_document_head_idx ON search_searchdocument USING gin (head)",
    # Word pairs as whole lexemes (no parser: "|" stays inside), for phrases.
    """ALTER TABLE search_searchdocument ADD COLUMN pair_vector tsvector GENERATED ALWAYS AS (
        array_to_tsvector(string_to_array(pairs, ' '))) STORED""",
    "CREATE INDEX search_document_pairs_idx ON search_searchdocument USING gin (pair_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_pairs_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS pair_vector",
    "DROP INDEX IF EXISTS search_document_head_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head",
    "DROP INDEX IF EXISTS search_document_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
