"""Reads of the search index: matching, ranking, facets and spelling tolerance."""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from pyroaring import BitMap, FrozenBitMap
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from stocktake.vocabularies.models import Term

from . import postings
from .analysis import fold, written_form
from .backends import backend
from .browse import SORT_ORDERS, BrowseIndex, browse_index
from .models import SearchPosting, SearchWord
from .query import Clause, SearchQuery, with_alternatives

# Spelling tolerance: how many edits a word of this length may be away from a known one.
MIN_FUZZY_LENGTH = 4
SUGGESTIONS_PER_WORD = 3


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def search_corrected(query: SearchQuery) -> tuple[SearchQuery, dict[str, str]] | None:
    """For a query that found nothing: the same query also allowing, for each required word
    that appears in no title or organisation name, the nearest words that do (within one or
    two edits). Returns the widened query and {written word: suggested word}, or None."""
    extra: dict[str, list[str]] = {}
    suggestions: dict[str, str] = {}
    for clause in query.required:
        if len(clause.words) != 1 or len(clause.words[0]) < MIN_FUZZY_LENGTH:
            continue
        word = clause.words[0]
        terms = [alternative[0] for alternative in clause.alternatives]
        if SearchWord.objects.filter(term__in=terms).exists():
            continue
        written = written_form(fold(word))
        edits = _max_edits(written)
        candidates = list(
            SearchWord.objects.filter(
                length__gte=len(written) - edits, length__lte=len(written) + edits
            ).values_list("word", "term")
        )
        nearest = process.extract(
            written,
            [form for form, _term in candidates],
            scorer=Levenshtein.distance,
            score_cutoff=edits,
            limit=SUGGESTIONS_PER_WORD,
        )
        if nearest:
            extra[word] = list(dict.fromkeys(candidates[n][1] for _w, _distance, n in nearest))
            suggestions[word] = nearest[0][0]
    if not extra:
        return None
    return with_alternatives(query, extra), suggestions


def search_facet_counts(*, facet: str) -> dict[str, int]:
    """{value: published entries filed under it} for one facet, over every published entry."""
    index = browse_index()
    return index.counts(facet, index.everything)


# --- the browse and search page ----------------------------------------------------------

# Facets in the order the page shows them: vocabulary schemes, then derived ones.
FACETS = (
    "wsis-action-lines",
    "sdg-goals",
    "sdg-targets",
    "gdc-objectives",
    "wsis-targets",
    "technologies",
    "countries",
    "regions",
    "stakeholder-types",
    "initiative-types",
    "statuses",
    "coverage",
    "beneficiary-groups",
    "year",
)
SORTS = ("relevance", *SORT_ORDERS)
# Bounds on what a request may ask for: values per facet, and a value's length.
MAX_VALUES_PER_FACET = 30
MAX_VALUE_LENGTH = 32


# The matches of recent searches, per process and per index state (a new state misses, so
# nothing stale is served): typing, ticking facets and paging ask for the same words again
# and again, and a common word matches tens of thousands of entries.
MATCH_CACHE_SIZE = 128
# Relevance (decisions/0004-search.md): each searched word or phrase found in the title
# scores 2, else in the organisation names 1; entries are ranked by their total, the most
# recently updated first among equals (body text and labels score nothing).
COLUMN_SCORES = (("title", 2), ("organisations", 1))


def _id_bitmap(sql: str, params: list) -> FrozenBitMap:
    """The ids a query selects, read as one concatenated value (tens of thousands of rows
    cost more as rows)."""
    search = backend()
    [(ids,)] = search.fetch(search.concatenated_ids.format(sql), params)
    return _bitmap(ids)


def _bitmap(ids: str | None) -> FrozenBitMap:
    """Ids concatenated by the database ("1,5,9", or NULL for none) as a bitmap."""
    # As a JSON array: json's C parser reads it three times faster than splitting.
    return FrozenBitMap(json.loads(f"[{ids}]") if ids else ())


# Postings read for the current index state, {(column, term): entries, or None for none}:
# a search asks for its terms' whole-document postings, then for the same terms' title and
# organisation postings; the three are read in one query. Emptied when the index state
# changes, or beyond POSTINGS_KEPT. (Only what is fast changes with the postings, never
# what is found: a term given a posting by `reindex --common-terms`, which leaves the state
# as it is, is read from the full-text index until the next change.)
_POSTINGS: dict[tuple[str, str], FrozenBitMap | None] = {}
_POSTINGS_STATE: list = [None]
POSTINGS_KEPT = 512


def _postings(state: tuple[int, str], column: str, terms: set[str]) -> dict[str, FrozenBitMap]:
    """{term: entries} of these terms' postings in one column (postings.py); terms without a
    posting are left out."""
    if _POSTINGS_STATE[0] != state or len(_POSTINGS) > POSTINGS_KEPT:
        _POSTINGS.clear()
        _POSTINGS_STATE[0] = state
    missing = [term for term in terms if (column, term) not in _POSTINGS]
    if missing:
        read = dict.fromkeys((c, term) for c in postings.COLUMNS for term in missing)
        rows = SearchPosting.objects.filter(term__in=missing).values_list("column", "term", "ids")
        for posted_column, term, ids in rows:
            read[posted_column, term] = FrozenBitMap(postings.read(ids))
        _POSTINGS.update(read)
    found = {term: _POSTINGS.get((column, term)) for term in terms}
    return {term: ids for term, ids in found.items() if ids is not None}


def _posted(state, column: str, clauses) -> dict[Clause, tuple[BitMap, Clause | None]]:
    """For each clause with a single-term alternative that has a posting in this column: the
    entries of its posted alternatives, and a clause of the others (rarer terms, phrases) for
    the full-text index, or None. Clauses with none are left out."""
    terms = {
        alternative[0] for c in clauses for alternative in c.alternatives if len(alternative) == 1
    }
    if not terms:
        return {}
    found = {(term,): ids for term, ids in _postings(state, column, terms).items()}
    parts = {}
    for clause in clauses:
        posted = [found[alternative] for alternative in clause.alternatives if alternative in found]
        if posted:
            others = tuple(
                alternative for alternative in clause.alternatives if alternative not in found
            )
            residue = Clause(clause.words, others) if others else None
            parts[clause] = (BitMap.union(*posted), residue)
    return parts


def _in_index(clause: Clause) -> FrozenBitMap:
    """Entries matching one clause, from the full-text index."""
    return _id_bitmap(*backend().matches(SearchQuery(text="", clauses=(clause,))))


def _clause_ids(part: tuple[BitMap, Clause | None]) -> BitMap:
    posted, residue = part
    return posted | _in_index(residue) if residue else posted


def _any_of(state, clauses) -> BitMap:
    """Entries matching any of these clauses (whether marked excluded or not)."""
    clauses = [Clause(clause.words, clause.alternatives) for clause in clauses]
    parts = _posted(state, "all", clauses)
    ids = BitMap()
    for clause in clauses:
        ids |= _clause_ids(parts[clause]) if clause in parts else _in_index(clause)
    return ids


@lru_cache(maxsize=MATCH_CACHE_SIZE)
def _cached_matches(state: tuple[int, str], query: SearchQuery) -> FrozenBitMap:
    """The matches of a query with required clauses: common terms from their postings, the
    rest (rarer terms, phrases) from the full-text index, the two combined."""
    parts = _posted(state, "all", query.clauses)
    if not parts:
        return _id_bitmap(*backend().matches(query))
    required = [clause for clause in query.required if clause not in parts]
    excluded = [clause for clause in query.excluded if clause not in parts]
    ids = None
    if required:  # in one query, with the exclusions it can take
        rest = SearchQuery(text=query.text, clauses=(*required, *excluded))
        ids = BitMap(_id_bitmap(*backend().matches(rest)))
    for clause in query.required:
        if clause in parts:
            matched = _clause_ids(parts[clause])
            ids = matched if ids is None else ids & matched
    if not required:
        ids -= _any_of(state, excluded)
    for clause in query.excluded:
        if clause in parts:
            ids -= _clause_ids(parts[clause])
    return FrozenBitMap(ids)


@lru_cache(maxsize=MATCH_CACHE_SIZE)
def _cached_any_of(state: tuple[int, str], clauses: tuple[Clause, ...]) -> FrozenBitMap:
    return FrozenBitMap(_any_of(state, clauses))


# Entries with a searched word or phrase in each ranked column (COLUMN_SCORES' order), by
# clause, for the current index state (the last MATCH_CACHE_SIZE clauses): kept like the
# postings, and read for all of a search's clauses at once.
_IN_COLUMNS: dict[Clause, tuple[FrozenBitMap, ...]] = {}
_IN_COLUMNS_STATE: list = [None]


def _in_columns(state: tuple[int, str], clauses) -> dict[Clause, tuple[FrozenBitMap, ...]]:
    """{clause: (entries with it in the title, in the organisation names)}: common terms
    from their postings, the rest from the full-text index, in one query for every clause
    and column that needs it."""
    if _IN_COLUMNS_STATE[0] != state or len(_IN_COLUMNS) > MATCH_CACHE_SIZE:
        _IN_COLUMNS.clear()
        _IN_COLUMNS_STATE[0] = state
    # Read once: another thread may empty the cache meanwhile.
    known = {clause: _IN_COLUMNS.get(clause) for clause in clauses}
    missing = [clause for clause, columns in known.items() if columns is None]
    if missing:
        found: dict[Clause, list[BitMap]] = {}
        lookups: list[tuple[Clause, str]] = []  # (the clause's part to look up, column)
        places: list[tuple[Clause, int]] = []  # where each lookup's entries go
        for clause in missing:
            found[clause] = []
            for place, (column, _score) in enumerate(COLUMN_SCORES):
                posted, residue = _posted(state, column, [clause]).get(clause, (BitMap(), clause))
                found[clause].append(posted)
                if residue:
                    lookups.append((residue, column))
                    places.append((clause, place))
        if lookups:
            search = backend()
            [row] = search.fetch(*search.in_columns(lookups))
            for (clause, place), ids in zip(places, row, strict=True):
                found[clause][place] = found[clause][place] | _bitmap(ids)
        for clause, columns in found.items():
            known[clause] = _IN_COLUMNS[clause] = tuple(FrozenBitMap(ids) for ids in columns)
    return known


def _matches(query: SearchQuery, index: BrowseIndex) -> BitMap:
    """Every entry matching the query (a query of excluded words alone: every entry without
    them)."""
    state = (index.version, index.token)
    if not query.required:
        return index.everything - _cached_any_of(state, query.excluded)
    return _cached_matches(state, query)


def _ranked(query: SearchQuery, within: BitMap, index: BrowseIndex) -> "_Ranking":
    """`within` (the matches, filtered) in tiers of relevance, best first: each searched word
    or phrase in the title counts 2, in the organisation names 1 (no scoring function reads
    every match: ids alone are read, and tiers are bitmap operations)."""
    state = (index.version, index.token)
    columns = _in_columns(state, query.required)
    tiers = {0: within}
    for clause in query.required:
        found = BitMap()
        in_columns = []
        for (_column, score), in_column in zip(COLUMN_SCORES, columns[clause], strict=True):
            ids = in_column - found
            found |= ids
            in_columns.append((ids, score))
        scored: dict[int, BitMap] = {}
        for total, members in tiers.items():
            for ids, score in [*in_columns, (None, 0)]:
                part = members - found if ids is None else members & ids
                if part:
                    scored[total + score] = scored.get(total + score, BitMap()) | part
        tiers = scored
    return _Ranking(tiers=[tiers[total] for total in sorted(tiers, reverse=True)], index=index)


def search_cache_clear() -> None:
    """Forget the cached matches (benchmarks measuring searches afresh)."""
    _cached_matches.cache_clear()
    _cached_any_of.cache_clear()
    _IN_COLUMNS.clear()
    _POSTINGS.clear()


@dataclass
class _Ranking:
    tiers: list[BitMap]  # best first; each most recently updated first
    index: BrowseIndex

    def page(self, offset: int, limit: int) -> list[int]:
        ids: list[int] = []
        for tier in self.tiers:
            if len(ids) == limit:
                break
            if offset >= len(tier):
                offset -= len(tier)
                continue
            ids += self.index.page(
                tier, sort="updated", language="", offset=offset, limit=limit - len(ids)
            )
            offset = 0
        return ids


@dataclass
class BrowseResult:
    query: SearchQuery
    total: int
    counts: dict[str, dict[str, int]]
    # {written word: suggested word} when the query found nothing as written and was widened
    # to near spellings of titles' and organisations' words.
    corrected: dict[str, str] = field(default_factory=dict)
    # The browse index state it was computed on (for the page's ids and the terms shown).
    index: BrowseIndex | None = field(default=None, repr=False)
    _within: BitMap = field(default_factory=BitMap, repr=False)
    _ranking: _Ranking | None = field(default=None, repr=False)
    _sort: str = "updated"
    _language: str = "en"

    def ids(self, offset: int, limit: int) -> list[int]:
        """The entries of one page, in the chosen order."""
        if self._ranking is not None:
            return self._ranking.page(offset, limit)
        return self.index.page(
            self._within, sort=self._sort, language=self._language, offset=offset, limit=limit
        )


def search_browse(
    *,
    query: SearchQuery | None = None,
    filters: dict[str, list[str]],
    good_practice: bool = False,
    sort: str = "updated",
    language: str = "en",
    with_counts: bool = True,
    index: BrowseIndex | None = None,
) -> BrowseResult:
    """Published entries matching `query` (if any) and `filters` ({facet: [values]}: values
    of one facet combine with OR, facets with AND), with the counts of every facet's values.

    A facet's counts leave out that facet's own selection, so each count is what the list
    shows when that value is chosen alone for it. `index`: the browse index to read, if the
    caller has one (browse_index)."""
    index = index or browse_index()
    sort = sort if sort in SORTS else "updated"
    if sort == "relevance" and not query:
        sort = "updated"
    filters = {facet: values for facet, values in filters.items() if values}
    if good_practice:
        filters["good-practice"] = ["1"]
    query = query or SearchQuery(text="")
    corrected: dict[str, str] = {}
    base = index.everything
    if query:
        matched = _matches(query, index)
        if not matched and query.required:
            widened = search_corrected(query)
            if widened:
                query, corrected = widened
                matched = _matches(query, index)
        base = base & matched
    within = base & index.matching(filters)
    ranked = sort == "relevance" and query.required
    ranking = _ranked(query, within, index) if ranked else None
    # A facet with no value chosen counts within the list itself.
    counts = {
        facet: index.counts(
            facet, base & index.matching(filters, skip=facet) if facet in filters else within
        )
        for facet in (FACETS if with_counts else ())
    }
    return BrowseResult(
        query=query,
        total=len(within),
        counts=counts,
        corrected=corrected,
        index=index,
        _within=within,
        _ranking=ranking,
        _sort=sort,
        _language=language,
    )


@lru_cache(maxsize=2)
def _facet_terms(version: int, token: str) -> dict[tuple[str, str], Term]:
    terms = Term.objects.filter(scheme__identifier__in=FACETS).select_related("scheme", "parent")
    return {(term.scheme.identifier, term.code): term for term in terms}


def facet_terms(index: BrowseIndex | None = None) -> dict[tuple[str, str], Term]:
    """The vocabulary terms facets show, by (scheme, code); read once per index state."""
    index = index or browse_index()  # pass a request's index: no second version check
    return _facet_terms(index.version, index.token)


def facet_terms_by_pk(index: BrowseIndex | None = None) -> dict[int, Term]:
    """The same terms by primary key."""
    index = index or browse_index()
    return _facet_terms_by_pk(index.version, index.token)


@lru_cache(maxsize=2)
def _facet_terms_by_pk(version: int, token: str) -> dict[int, Term]:
    return {term.pk: term for term in _facet_terms(version, token).values()}
