"""Writes to the search index. The lifecycle services call `search_index_update` inside their
own transaction, so an entry appears in search the moment it is published and disappears the
moment it is withdrawn or archived (the index is rows in the same database)."""

import secrets
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import pairwise

from django.db import connection, transaction
from django.db.models import F, Prefetch
from pyroaring import BitMap

from stocktake.initiatives.models import FORMATTED_TEXT_FIELDS, Initiative, RevisionTerm, Status
from stocktake.vocabularies.models import CrosswalkLink, Term

from . import postings
from .analysis import PAIR, SEPARATOR, analyze_word, tokenize, written_form
from .models import (
    SearchChange,
    SearchDocument,
    SearchListing,
    SearchPosting,
    SearchState,
    SearchWord,
)

BODY_FIELDS = ("summary", *FORMATTED_TEXT_FIELDS)
BATCH_SIZE = 500
DESCRIBED_SCHEMES = {"wsis-action-lines"}
# Changes kept for processes catching up; one further behind rebuilds its browse index whole.
KEEP_CHANGES = 200


class _Column:
    """Analysed terms of one column; remembers the written forms of each term (SearchWord)."""

    def __init__(self, words: set[tuple[str, str]] | None = None):
        self.terms: list[str] = []
        self.words = words

    def add(self, text: str, language: str | None) -> None:
        added = False
        for word in tokenize(text or ""):
            term = analyze_word(word, language)
            if term:
                self.terms.append(term)
                added = True
                if self.words is not None and len(term) <= 100 and len(word) <= 100:
                    self.words.add((term, written_form(word)))
        if added:
            self.terms.append(SEPARATOR)

    def add_texts(self, texts: dict[str, str]) -> None:
        for language, text in (texts or {}).items():
            self.add(text, language)

    def pairs(self) -> set[str]:
        """Each two terms written one after the other ("artifici|intellig")."""
        terms = self.terms
        return {
            f"{first}{PAIR}{second}"
            for first, second in pairwise(terms)
            if SEPARATOR not in (first, second)
        }

    def __str__(self) -> str:
        return " ".join(self.terms)


class _Vocabulary:
    """Every term once per indexing run: its labels in every language, and for Action Lines
    their descriptions too (so "cybersécurité" finds an entry on C5, whose French description
    says it; other schemes' descriptions would double each entry's index for little gain);
    and its facet keys (itself and its broader terms, across schemes: SDG target 3.8 is also
    filed under goal 3)."""

    def __init__(self):
        terms = {term.pk: term for term in Term.objects.select_related("scheme")}
        self.texts = {
            pk: (term.labels, term.descriptions)
            if term.scheme.identifier in DESCRIBED_SCHEMES
            else (term.labels,)
            for pk, term in terms.items()
        }
        self.keys: dict[int, list[str]] = {}
        for pk in terms:
            keys, term = [], terms[pk]
            while term is not None and len(keys) < 8:
                keys.append(f"{term.scheme.identifier}:{term.code}")
                term = terms.get(term.parent_id)
            self.keys[pk] = keys
        self.regions: dict[str, list[str]] = defaultdict(list)
        links = CrosswalkLink.objects.filter(crosswalk__identifier="regions-to-countries")
        for region, country in links.values_list("from_term__code", "to_term__code"):
            self.regions[country].append(f"regions:{region}")


def _document(
    initiative: Initiative, vocabulary: _Vocabulary, words: set
) -> tuple[SearchDocument, SearchListing]:
    revision = initiative.published_revision
    organisation = initiative.organisation
    title, organisations = _Column(words), _Column(words)
    labels, body = _Column(), _Column()
    title.add_texts(revision.title)
    organisations.add_texts(organisation.names)
    organisations.add(organisation.acronym, None)
    for partner in revision.partners or []:
        organisations.add(partner.get("name", ""), revision.original_language)
    term_ids = [link.term_id for link in revision.term_links.all()]
    term_ids += [
        pk
        for pk in (
            revision.initiative_type_id,
            revision.implementation_status_id,
            revision.coverage_id,
            organisation.stakeholder_type_id,
        )
        if pk is not None
    ]
    facets = []
    for pk in term_ids:
        for texts in vocabulary.texts.get(pk, ()):
            labels.add_texts(texts)
        for key in vocabulary.keys.get(pk, []):
            facets.append(key)
            if key.startswith("countries:"):
                facets += vocabulary.regions.get(key.removeprefix("countries:"), [])
    for keyword in revision.keywords or []:
        labels.add(keyword, revision.original_language)
    for field in BODY_FIELDS:
        body.add_texts(getattr(revision, field))
    if revision.start_date:
        facets.append(f"year:{revision.start_date.year}")
    if initiative.is_good_practice:
        facets.append("good-practice:1")
    facets.append(f"organisation:{organisation.pk}")
    document = SearchDocument(
        initiative_id=initiative.pk,
        title=str(title),
        organisations=str(organisations),
        labels=str(labels),
        body=str(body),
        pairs=" ".join(
            sorted(set().union(*(c.pairs() for c in (title, organisations, labels, body))))
        )
        if connection.vendor == "postgresql"
        else "",
    )
    listing = SearchListing(
        initiative_id=initiative.pk,
        facets=" ".join(dict.fromkeys(facets)),
        published=_microseconds(initiative.published_at),
        last_published=_microseconds(initiative.last_published_at),
        titles={language: text.casefold() for language, text in revision.title.items() if text},
    )
    return document, listing


def _microseconds(moment) -> int | None:
    return None if moment is None else round(moment.timestamp() * 1_000_000)


def _published(ids: list[int]):
    return (
        Initiative.objects.filter(
            pk__in=ids, status=Status.PUBLISHED, published_revision__isnull=False
        )
        .select_related("organisation", "published_revision")
        .prefetch_related(
            Prefetch(
                "published_revision__term_links",
                queryset=RevisionTerm.objects.only("pk", "revision_id", "term_id"),
            )
        )
    )


def _lock_index_state() -> None:
    """Take the index state's row lock, which orders index writes one after another, without
    changing the version (what a search finds stays the same)."""
    SearchState.objects.get_or_create(pk=1)
    list(SearchState.objects.select_for_update().filter(pk=1).values_list("pk"))


def _next_version(*, rebuilt: bool = False) -> tuple[int, str]:
    """Raise the index version (the row lock also orders concurrent index writes)."""
    token = secrets.token_hex(8)
    SearchState.objects.get_or_create(pk=1)
    SearchState.objects.filter(pk=1).update(version=F("version") + 1, token=token)
    version = SearchState.objects.values_list("version", flat=True).get(pk=1)
    if rebuilt:
        SearchState.objects.filter(pk=1).update(rebuilt_at=version)
        SearchChange.objects.all().delete()
    else:
        SearchChange.objects.filter(version__lte=version - KEEP_CHANGES).delete()
    return version, token


@transaction.atomic
def search_index_entries(*, ids: Iterable[int], vocabulary: _Vocabulary | None = None) -> int:
    """Bring the index in line with these entries: published ones (re)indexed from their
    published revision, any other state removed. Returns how many are indexed."""
    ids = list(ids)
    vocabulary = vocabulary or _Vocabulary()
    words: set[tuple[str, str]] = set()
    built = [_document(initiative, vocabulary, words) for initiative in _published(ids)]
    # First, as it locks the index state's row: index writes follow one another from here,
    # so each reads the documents (and postings) the one before it wrote.
    version, token = _next_version()
    tracked = _tracked_postings()
    before = _document_terms(ids) if tracked else {}
    # Replace rather than update: the FTS5 triggers then see one delete and one insert per row.
    SearchDocument.objects.filter(initiative_id__in=ids).delete()
    SearchListing.objects.filter(initiative_id__in=ids).delete()
    SearchDocument.objects.bulk_create([document for document, _l in built], batch_size=BATCH_SIZE)
    SearchListing.objects.bulk_create([listing for _d, listing in built], batch_size=BATCH_SIZE)
    SearchWord.objects.bulk_create(
        [SearchWord(term=term, word=word, length=len(word)) for term, word in words],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    if tracked:
        after = {
            document.initiative_id: postings.document_terms(
                {name: getattr(document, name) for name in postings.DOCUMENT_COLUMNS}
            )
            for document, _l in built
        }
        _update_postings(tracked, ids, before, after)
    SearchChange.objects.bulk_create(
        [SearchChange(version=version, token=token, initiative_id=pk) for pk in ids],
        batch_size=BATCH_SIZE,
    )
    return len(built)


def _tracked_postings() -> dict[tuple[str, str], int]:
    """{(column, term): primary key} of the terms that have a posting."""
    rows = SearchPosting.objects.values_list("column", "term", "pk")
    return {(column, term): pk for column, term, pk in rows}


def _document_terms(ids: list[int]) -> dict[int, dict[str, set[str]]]:
    """{entry: {column: terms}} of these entries' documents as they are indexed now."""
    rows = SearchDocument.objects.filter(initiative_id__in=ids).values(
        "initiative_id", *postings.DOCUMENT_COLUMNS
    )
    return {row["initiative_id"]: postings.document_terms(row) for row in rows}


def _update_postings(
    tracked: dict[tuple[str, str], int],
    ids: list[int],
    before: dict[int, dict[str, set[str]]],
    after: dict[int, dict[str, set[str]]],
) -> None:
    """Each entry taken out of the postings of the terms it no longer holds and put in those
    of the terms it now holds; the postings of the terms it still holds are left as they are
    (an edit rewrites a few postings, a publication or a withdrawal those of its terms)."""
    removed: dict[int, list[int]] = defaultdict(list)  # posting → entries to take out
    added: dict[int, list[int]] = defaultdict(list)
    for pk in ids:
        for column in postings.COLUMNS:
            old = before.get(pk, {}).get(column, set())
            new = after.get(pk, {}).get(column, set())
            for terms, changes in ((old - new, removed), (new - old, added)):
                for term in terms:
                    posting = tracked.get((column, term))
                    if posting is not None:
                        changes[posting].append(pk)
    touched = removed.keys() | added.keys()
    if not touched:
        return
    rows = SearchPosting.objects.filter(pk__in=touched).values_list("pk", "ids")
    updates = []
    for pk, stored in rows:
        entries = postings.read(stored)
        entries -= BitMap(removed.get(pk, ()))
        entries |= BitMap(added.get(pk, ()))
        updates.append((postings.written(entries), len(entries), pk))
    table = SearchPosting._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET ids = %s, entries = %s WHERE id = %s",  # noqa: S608 (a constant)
            updates,
        )


@transaction.atomic
def search_postings_clear() -> None:
    """Drop the ready matches until the next search_postings_rebuild (searches find the same
    entries, through the full-text index): for bulk writes, which would otherwise rewrite
    every common term's bitmaps once per batch (on PostgreSQL, gigabytes of dead rows over
    100,000 generated entries)."""
    _lock_index_state()
    SearchPosting.objects.all().delete()


@transaction.atomic
def search_postings_rebuild(*, minimum: int | None = None) -> int:
    """Choose the common terms afresh (those in at least `minimum` indexed entries, by default
    postings.COMMON_ENTRIES) and write their postings, from the documents as they are
    indexed; returns how many terms. Run with every rebuild of the index: a term that becomes
    common later is still found, through the full-text index."""
    minimum = postings.COMMON_ENTRIES if minimum is None else minimum
    _lock_index_state()  # one index write at a time (see search_index_entries)
    found: dict[tuple[str, str], array] = defaultdict(lambda: array("I"))  # ids < 2**32
    rows = SearchDocument.objects.values_list("initiative_id", *postings.DOCUMENT_COLUMNS)
    for pk, *texts in rows.iterator(chunk_size=2000):
        terms = postings.document_terms(dict(zip(postings.DOCUMENT_COLUMNS, texts, strict=True)))
        for column, column_terms in terms.items():
            for term in column_terms:
                found[column, term].append(pk)
    SearchPosting.objects.all().delete()
    # A common term has its three postings, however few titles or names hold it: ranking
    # then never asks the full-text index about a common term.
    common = [
        SearchPosting(
            column=column,
            term=term,
            ids=postings.written(BitMap(found.get((column, term), ()))),
            entries=len(found.get((column, term), ())),
        )
        for (posted_column, term), ids in list(found.items())
        if posted_column == "all" and len(ids) >= max(minimum, 1) and len(term) <= 100
        for column in postings.COLUMNS
    ]
    SearchPosting.objects.bulk_create(common, batch_size=BATCH_SIZE)
    return sum(posting.column == "all" for posting in common)


def search_index_update(*, initiative: Initiative) -> None:
    """Index one entry as it now stands (call inside the lifecycle change's transaction)."""
    search_index_entries(ids=[initiative.pk])


@transaction.atomic
def search_index_rebuild(
    *, batch_size: int = BATCH_SIZE, progress: Callable[[int], object] | None = None
) -> int:
    """Rebuild the whole index from the published entries, in one transaction (searches see
    the old index until it commits)."""
    _next_version()  # one index write at a time (see search_index_entries)
    SearchDocument.objects.all().delete()
    SearchListing.objects.all().delete()
    SearchWord.objects.all().delete()
    search_postings_clear()  # chosen afresh below, from the new documents
    ids = list(
        Initiative.objects.filter(status=Status.PUBLISHED, published_revision__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    vocabulary = _Vocabulary()
    indexed = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        indexed += search_index_entries(ids=chunk, vocabulary=vocabulary)
        if progress:
            progress(len(chunk))
    search_postings_rebuild()
    _next_version(rebuilt=True)
    return indexed
