"""The search index: one analysed document per published entry.

The columns hold analysed terms (see analysis.py), space-separated, so that SQLite FTS5 and
PostgreSQL full-text search match exactly the same words. The backend-specific parts — an FTS5
table kept in step by triggers, or a weighted tsvector column with a GIN index — are created by
migration 0002 for the database in use (docs/decisions/0004-search.md).
"""

from django.db import models

from stocktake.initiatives.models import Initiative


class SearchDocument(models.Model):
    initiative = models.OneToOneField(
        Initiative, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    # Ranked from most to least weight: title, organisations, vocabulary labels, body texts.
    title = models.TextField(blank=True)
    organisations = models.TextField(blank=True)
    labels = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # PostgreSQL only: every two adjacent terms ("artifici|intellig"), so that a phrase is
    # found by its word pairs in a GIN index rather than by re-reading every candidate's
    # positions (docs/decisions/0004-search.md). SQLite's FTS5 keeps positions in its index.
    pairs = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"search document {self.initiative_id}"


class SearchListing(models.Model):
    """What the in-memory browse index (browse.py) reads of each indexed entry: small rows,
    apart from the long analysed texts, so that reading them all stays quick."""

    initiative = models.OneToOneField(
        Initiative, primary_key=True, on_delete=models.CASCADE, related_name="search_listing"
    )
    # What the entry is filed under, for facets: "scheme:code" keys (with each term's broader
    # terms, e.g. C7 for C7.1, goal 3 for target 3.8), "year:2021", "good-practice:1",
    # "organisation:<id>" (its lead organisation).
    facets = models.TextField(blank=True)
    # When first and last published, in microseconds since the epoch (integers read back
    # the same on both databases, with no conversion).
    published = models.BigIntegerField(null=True)
    last_published = models.BigIntegerField(null=True)
    # Title sort keys (case-folded) by language.
    titles = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"search listing {self.initiative_id}"


class SearchWord(models.Model):
    """Words of titles and organisation names as written (folded), each with its analysed term,
    for spelling tolerance and suggestions."""

    term = models.CharField(max_length=100)
    word = models.CharField(max_length=100)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "word"], name="unique_search_word")]

    def __str__(self) -> str:
        return self.word


class SearchState(models.Model):
    """One row: the index's version, raised by every write, so that every process can tell
    whether its in-memory browse index (browse.py) is current, and which entries to refresh."""

    version = models.BigIntegerField(default=0)
    # Random per write: tells two states apart that share a number (one was rolled back).
    token = models.CharField(max_length=32, blank=True)
    # A process whose browse index is older than this rebuilds it whole (after a reindex).
    rebuilt_at = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index version {self.version}"


class SearchChange(models.Model):
    """Entries (re)indexed or removed at a version (with that version's token); recent ones."""

    version = models.BigIntegerField(db_index=True)
    token = models.CharField(max_length=32)
    initiative_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"entry {self.initiative_id} at version {self.version}"


class SearchPosting(models.Model):
    """The entries a common term is indexed under, ready: a Roaring bitmap of their ids, for
    each term found in at least postings.COMMON_ENTRIES entries when the list was last made
    (services.search_postings_rebuild): in the whole document (`all`), in the title, and in
    the organisation names (these two however few). Kept in step with the documents by
    every index write, in the same transaction. A search reads a common word's matches here
    in a fraction of a millisecond, where the full-text index would give them one row at a
    time (decisions/0004-search.md); rarer terms, and phrases, are looked up in the
    full-text index."""

    column = models.CharField(max_length=16)
    term = models.CharField(max_length=100)
    ids = models.BinaryField()
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "column"], name="unique_search_posting")
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.column}): {self.entries} entries"
