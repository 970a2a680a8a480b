"""The browse index: facet postings and sort orders of the published entries, in memory.

Facet counts over every published entry, and filtered lists sorted by date or title, are
what the list page asks for on every view; as SQL they cost a pass over every entry's
classifications (hundreds of milliseconds at 100,000 entries). Here each facet value holds a
compressed bitmap of the entries filed under it (Roaring, via pyroaring), so a filter is a
union or intersection of bitmaps and a count is an intersection's size, in microseconds.

Every process keeps its own copy and checks, once per request, the index version in the
database (SearchState): when another process has indexed entries since, it re-reads just
those (SearchChange), or everything after a full reindex. Nothing assumes a single process.
"""

import threading
from array import array
from dataclasses import dataclass

from pyroaring import BitMap

from stocktake.core.i18n import fallback_chain

from .models import SearchChange, SearchDocument, SearchState

SORT_ORDERS = ("updated", "newest", "title")


@dataclass
class _Entry:
    keys: tuple[str, ...]
    published_at: float
    last_published_at: float
    titles: dict[str, str]


def _entries(ids: list[int] | None = None) -> dict[int, _Entry]:
    """What the browse index needs of each indexed entry (all, or these)."""
    queryset = SearchDocument.objects.all()
    if ids is not None:
        queryset = queryset.filter(initiative_id__in=ids)
    rows = queryset.values_list(
        "initiative_id",
        "facets",
        "initiative__published_at",
        "initiative__last_published_at",
        "initiative__published_revision__title",
    )
    return {
        pk: _Entry(
            keys=tuple(facets.split()),
            published_at=published.timestamp() if published else 0.0,
            last_published_at=updated.timestamp() if updated else 0.0,
            titles=titles if isinstance(titles, dict) else {},
        )
        for pk, facets, published, updated, titles in rows.iterator(chunk_size=5000)
    }


class BrowseIndex:
    def __init__(self):
        self.version, self.token = -1, ""
        self.entries: dict[int, _Entry] = {}
        self.postings: dict[str, BitMap] = {}
        self.everything = BitMap()
        self._orders: dict[str, list[int]] = {}
        self._positions: dict[str, array] = {}

    # --- keeping current ----------------------------------------------------------------

    def refresh(self) -> None:
        """Bring this copy up to the database's state (one query when it is current)."""
        state = SearchState.objects.filter(pk=1).values_list("version", "token", "rebuilt_at")
        version, token, rebuilt_at = state.first() or (0, "", 0)
        if (version, token) == (self.version, self.token):
            return
        changes = None
        if self.version >= rebuilt_at and self.token:
            rows = SearchChange.objects.filter(version__gte=self.version)
            changes = list(rows.values_list("version", "token", "initiative_id"))
            # Catch up piecemeal only from a state the database's history holds (not one that
            # was rolled back, nor one older than the changes kept).
            if not any(v == self.version and t == self.token for v, t, _pk in changes):
                changes = None
        if changes is None:
            self._load(_entries())
        else:
            ids = list({pk for v, _t, pk in changes if v > self.version})
            self._update(ids, _entries(ids))
        self.version, self.token = version, token

    def _load(self, entries: dict[int, _Entry]) -> None:
        self.entries = entries
        postings: dict[str, BitMap] = {}
        for pk, entry in entries.items():
            for key in entry.keys:
                postings.setdefault(key, BitMap()).add(pk)
        self.postings = postings
        self.everything = BitMap(entries)
        self._orders, self._positions = {}, {}

    def _update(self, ids: list[int], entries: dict[int, _Entry]) -> None:
        for pk in ids:
            old = self.entries.pop(pk, None)
            if old:
                for key in old.keys:
                    self.postings[key].discard(pk)
            self.everything.discard(pk)
            new = entries.get(pk)
            if new:
                self.entries[pk] = new
                self.everything.add(pk)
                for key in new.keys:
                    self.postings.setdefault(key, BitMap()).add(pk)
        self._orders, self._positions = {}, {}

    # --- reading ------------------------------------------------------------------------

    def matching(self, filters: dict[str, list[str]], *, skip: str | None = None) -> BitMap:
        """Entries filed under any of the values of each facet (OR), for every facet (AND);
        `skip` leaves one facet out (for that facet's own counts)."""
        result = self.everything
        for facet, values in filters.items():
            if facet == skip or not values:
                continue
            union = BitMap.union(*(self.postings.get(f"{facet}:{v}", BitMap()) for v in values))
            result = result & union
        return result

    def counts(self, facet: str, within: BitMap) -> dict[str, int]:
        """{value: entries of `within` filed under it} for one facet, values with none left out."""
        prefix = f"{facet}:"
        counts = {}
        for key, posting in self.postings.items():
            if key.startswith(prefix):
                count = posting.intersection_cardinality(within)
                if count:
                    counts[key[len(prefix) :]] = count
        return counts

    def _order(self, sort: str, language: str) -> tuple[list[int], array]:
        name = f"title:{language}" if sort == "title" else sort
        if name not in self._orders:
            entries = self.entries
            if sort == "title":
                chain = fallback_chain(language)

                def key(pk):
                    titles = entries[pk].titles
                    title = next((titles[c] for c in chain if titles.get(c)), "")
                    return (title.casefold(), pk)

                order = sorted(entries, key=key)
            elif sort == "newest":
                order = sorted(entries, key=lambda pk: (-entries[pk].published_at, -pk))
            else:
                order = sorted(entries, key=lambda pk: (-entries[pk].last_published_at, -pk))
            positions = array("l", [0]) * ((max(entries) + 1) if entries else 1)
            for position, pk in enumerate(order):
                positions[pk] = position
            self._orders[name], self._positions[name] = order, positions
        return self._orders[name], self._positions[name]

    def page(self, within: BitMap, *, sort: str, language: str, offset: int, limit: int):
        """Ids of `within` in the sort order, from `offset`, at most `limit`."""
        if not within or limit <= 0:
            return []
        order, positions = self._order(sort, language)
        if len(within) * 8 < len(order):
            # Few entries: sort them by their place in the order.
            return sorted(within, key=positions.__getitem__)[offset : offset + limit]
        found = []
        for pk in order:  # many: walk the order until the page is full
            if pk in within:
                found.append(pk)
                if len(found) == offset + limit:
                    break
        return found[offset:]


_index = BrowseIndex()
_lock = threading.Lock()


def browse_index() -> BrowseIndex:
    """This process's browse index, current with the database."""
    with _lock:
        _index.refresh()
    return _index


def reset_browse_index() -> None:
    """Forget this process's copy (tests that switch databases)."""
    global _index
    with _lock:
        _index = BrowseIndex()
