"""PostgreSQL: the tsvectors move out of search_searchdocument into a narrow table of their
own, kept in step by a trigger, with one vector each for the title and the organisation
names (ranking) in place of the weighted head vector.

Why (docs/decisions/0004-search.md): a search reads the id of every match through a bitmap
heap scan, which visits every heap page holding a match. The documents' rows carry their
texts and vectors inline (1.2 KiB a row), so a common word visited the whole 106 MiB table at
100,000 entries (30 ms). Here the large vectors are stored out of line (toast_tuple_target),
so the heap a search visits is a few MiB. And asking the weighted head vector for the
entries with a word in the title alone needed every candidate's vector re-read (20 ms a
word); the title and organisation vectors need no re-reading for a word."""

from django.db import migrations

# The four vectors from a document row (`{row}` is "NEW." in the trigger).
COMPUTE = """
    to_tsvector('simple'::regconfig, {row}title)
        || to_tsvector('simple'::regconfig, {row}organisations)
        || to_tsvector('simple'::regconfig, {row}labels)
        || to_tsvector('simple'::regconfig, {row}body),
    array_to_tsvector(string_to_array({row}pairs, ' ')),
    to_tsvector('simple'::regconfig, {row}title),
    to_tsvector('simple'::regconfig, {row}organisations)
"""
COLUMNS = "initiative_id, vector, pair_vector, title_vector, organisations_vector"

FORWARD = [
    # No foreign key: Django empties tables with TRUNCATE (tests), which a reference would
    # refuse; triggers keep the two in step instead, on insert, update, delete and truncate.
    """CREATE TABLE search_vectors (
        initiative_id bigint PRIMARY KEY,
        vector tsvector NOT NULL,
        pair_vector tsvector NOT NULL,
        title_vector tsvector NOT NULL,
        organisations_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    # Small, and re-read to check phrases: kept in the row.
    "ALTER TABLE search_vectors ALTER COLUMN title_vector SET STORAGE MAIN",
    "ALTER TABLE search_vectors ALTER COLUMN organisations_vector SET STORAGE MAIN",
    f"""CREATE FUNCTION search_vectors_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_vectors ({COLUMNS})
        VALUES (NEW.initiative_id, {COMPUTE.format(row="NEW.")})
        ON CONFLICT (initiative_id) DO UPDATE SET
            vector = EXCLUDED.vector,
            pair_vector = EXCLUDED.pair_vector,
            title_vector = EXCLUDED.title_vector,
            organisations_vector = EXCLUDED.organisations_vector;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER search_vectors_write AFTER INSERT OR UPDATE ON search_searchdocument
        FOR EACH ROW EXECUTE FUNCTION search_vectors_write()""",
    """CREATE FUNCTION search_vectors_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_vectors WHERE initiative_id = OLD.initiative_id;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER search_vectors_delete AFTER DELETE ON search_searchdocument
        FOR EACH ROW EXECUTE FUNCTION search_vectors_delete()""",
    """CREATE FUNCTION search_vectors_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_vectors;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER search_vectors_truncate AFTER TRUNCATE ON search_searchdocument
        FOR EACH STATEMENT EXECUTE FUNCTION search_vectors_truncate()""",
    # What is indexed already.
    f"""INSERT INTO search_vectors ({COLUMNS})
        SELECT initiative_id, {COMPUTE.format(row="")} FROM search_searchdocument""",
    "CREATE INDEX search_vectors_vector_idx ON search_vectors USING gin (vector)",
    "CREATE INDEX search_vectors_pairs_idx ON search_vectors USING gin (pair_vector)",
    "CREATE INDEX search_vectors_title_idx ON search_vectors USING gin (title_vector)",
    """CREATE INDEX search_vectors_organisations_idx ON search_vectors
        USING gin (organisations_vector)""",
    # The generated columns of 0002, replaced.
    "DROP INDEX IF EXISTS search_document_pairs_idx",
    "DROP INDEX IF EXISTS search_document_head_idx",
    "DROP INDEX IF EXISTS search_document_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS pair_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_vectors_truncate ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_vectors_delete ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_vectors_write ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_vectors_truncate()",
    "DROP FUNCTION IF EXISTS search_vectors_delete()",
    "DROP FUNCTION IF EXISTS search_vectors_write()",
    "DROP TABLE IF EXISTS search_vectors",
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, organisations), 'B')
        || setweight(to_tsvector('simple'::regconfig, labels), 'C')
        || setweight(to_tsvector('simple'::regconfig, body), 'D')) STORED""",
    "CREATE INDEX search_document_vector_idx ON search_searchdocument USING gin (vector)",
    """ALTER TABLE search_searchdocument ADD COLUMN head tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, organisations), 'B')) STORED""",
    "CREATE INDEX search_document_head_idx ON search_searchdocument USING gin (head)",
    """ALTER TABLE search_searchdocument ADD COLUMN pair_vector tsvector GENERATED ALWAYS AS (
        array_to_tsvector(string_to_array(pairs, ' '))) STORED""",
    "CREATE INDEX search_document_pairs_idx ON search_searchdocument USING gin (pair_vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sqlite_head_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
