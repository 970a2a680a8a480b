"""Reads for the open data: the entries of a search, in its order, a chunk at a time.

Only the published revision of published entries is read, and never the contact fields:
what is not loaded cannot leak into a file."""

from collections.abc import Iterator, Sequence

from stocktake.initiatives.models import TEXT_FIELDS, Initiative, RevisionTerm
from stocktake.initiatives.selectors import published_initiatives
from stocktake.search.selectors import BrowseResult, facet_terms_by_pk, search_browse
from stocktake.vocabularies.models import Term

from .columns import TermLink, entry_record
from .parameters import SearchRequest

# Entries read per query: large enough to make the round trips cheap, small enough to keep
# memory flat (a chunk holds the full texts of its entries).
CHUNK_SIZE = 500
PRIVATE_REVISION_FIELDS = ("contact_name", "contact_email")
REVISION_FIELDS = (
    "original_language", *TEXT_FIELDS, "partners", "initiative_type", "implementation_status",
    "coverage", "start_date", "end_date", "funding_source", "funding_amount", "funding_currency",
    "website", "links", "keywords",
)  # fmt: skip
INITIATIVE_FIELDS = (
    "status", "organisation", "external_ids", "is_good_practice", "published_at",
    "last_published_at", "last_confirmed_at", "published_revision",
    *(f"published_revision__{name}" for name in REVISION_FIELDS),
)  # fmt: skip
ORGANISATION_FIELDS = ("names", "acronym", "stakeholder_type", "country")


def opendata_search(
    *, search: SearchRequest | None = None, language: str, sort: str | None = None
) -> BrowseResult:
    """The published entries a search finds (every published entry without one)."""
    search = search or SearchRequest(query=None)
    return search_browse(
        query=search.query,
        filters=search.filters,
        good_practice=search.good_practice,
        sort=sort or search.sort,
        language=language,
        with_counts=False,
    )


def opendata_ids(*, result: BrowseResult, limit: int | None = None) -> list[int]:
    """The ids of a result in its order (all of them, or the first `limit`)."""
    count = result.total if limit is None else min(limit, result.total)
    return result.ids(0, count) if count else []


def _entries_queryset(ids: Sequence[int]):
    return (
        published_initiatives()
        .filter(pk__in=list(ids))
        .order_by()
        .select_related("organisation", "published_revision")
        .only(*INITIATIVE_FIELDS, *(f"organisation__{name}" for name in ORGANISATION_FIELDS))
        .defer(*(f"published_revision__{name}" for name in PRIVATE_REVISION_FIELDS))
    )


def _terms(wanted: set[int], terms: dict[int, Term]) -> dict[int, Term]:
    """The process's vocabulary cache, with any term outside it read (all in one query)."""
    missing = wanted - terms.keys()
    if not missing:
        return terms
    return {**terms, **Term.objects.select_related("scheme").in_bulk(missing)}


def opendata_entries(
    *, ids: Sequence[int], index=None, chunk_size: int | None = None
) -> Iterator[tuple[Initiative, list[TermLink]]]:
    """These published entries in this order, each with its classifications, with everything
    entry_record reads: two queries per chunk, however full. Ids of entries no longer
    published are skipped. The classifications are read as plain rows (at 100,000 entries,
    a model instance per link would cost more than the rest of the download)."""
    chunk_size = chunk_size or CHUNK_SIZE
    cached = facet_terms_by_pk(index)
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        found = _entries_queryset(chunk).in_bulk()
        entries = [found[pk] for pk in chunk if pk in found]
        rows = RevisionTerm.objects.filter(
            revision_id__in=[entry.published_revision_id for entry in entries]
        ).values_list("revision_id", "term_id", "is_primary", "evidence")
        rows = list(rows)
        wanted = {row[1] for row in rows}
        for entry in entries:
            revision, organisation = entry.published_revision, entry.organisation
            wanted.update((revision.initiative_type_id, revision.implementation_status_id))
            wanted.update((revision.coverage_id, organisation.stakeholder_type_id))
            wanted.add(organisation.country_id)
        wanted.discard(None)
        terms = _terms(wanted, cached)
        links: dict[int, list[TermLink]] = {}
        for revision_id, term_id, is_primary, evidence in rows:
            links.setdefault(revision_id, []).append(TermLink(terms[term_id], is_primary, evidence))
        for entry in entries:
            revision, organisation = entry.published_revision, entry.organisation
            for name in ("initiative_type", "implementation_status", "coverage"):
                pk = getattr(revision, f"{name}_id")
                setattr(revision, name, terms[pk] if pk else None)
            for name in ("stakeholder_type", "country"):
                pk = getattr(organisation, f"{name}_id")
                setattr(organisation, name, terms[pk] if pk else None)
            yield entry, links.get(revision.pk, [])


def opendata_records(
    *, ids: Sequence[int], language: str, base_url: str = "", index=None
) -> Iterator[dict]:
    """The exported records of these entries, in this order, labels in `language`."""
    for initiative, links in opendata_entries(ids=ids, index=index):
        yield entry_record(
            initiative, initiative.published_revision, language, base_url=base_url, links=links
        )
