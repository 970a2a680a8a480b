"""SQLite: a second, small FTS5 index of the title and organisation names alone, for ranking
(PostgreSQL has its head vector from 0002). Asking the whole-document index for the entries
with a word in one column reads every posting of the word — 50,000 for a common one — to
keep the few thousand in that column; this index holds only those."""

from django.db import migrations

FORWARD = [
    """CREATE VIRTUAL TABLE search_head_fts USING fts5(
        title, organisations, content='search_searchdocument', content_rowid='initiative_id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_head_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_head_fts(rowid, title, organisations)
        VALUES (new.initiative_id, new.title, new.organisations);
    END""",
    """CREATE TRIGGER search_head_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_head_fts(search_head_fts, rowid, title, organisations)
        VALUES ('delete', old.initiative_id, old.title, old.organisations);
    END""",
    """CREATE TRIGGER search_head_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_head_fts(search_head_fts, rowid, title, organisations)
        VALUES ('delete', old.initiative_id, old.title, old.organisations);
        INSERT INTO search_head_fts(rowid, title, organisations)
        VALUES (new.initiative_id, new.title, new.organisations);
    END""",
    # Index what is there already.
    "INSERT INTO search_head_fts(search_head_fts) VALUES ('rebuild')",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_head_fts_update",
    "DROP TRIGGER IF EXISTS search_head_fts_delete",
    "DROP TRIGGER IF EXISTS search_head_fts_insert",
    "DROP TABLE IF EXISTS search_head_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
