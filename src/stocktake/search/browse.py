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
from collections import defaultdict
from dataclasses import dataclass

from pyroaring import BitMap

from stocktake.core.i18n import fallback_chain

from .models import SearchChange, SearchListing, SearchState

SORT_ORDERS = ("updated", "newest", "title")


@dataclass
class _Entry:
    keys: tuple[str, ...]
    published_at: float
    last_published_at: float
    titles: dict[str, str]


def _entries(ids: list[int] | None = None) -> dict[int, _Entry]:
    """What the browse index needs of each indexed entry (all, or these)."""
    queryset = SearchListing.objects.all()
    if ids is not None:
        queryset = queryset.filter(initiative_id__in=ids)
    rows = queryset.values_list(
        "initiative_id", "facets", "published_at", "last_published_at", "titles"
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
        # Sort orders, computed on first use (the only state added after building).
        self._orders: dict[str, list[int]] = {}
        self._positions: dict[str, array] = {}

    # --- keeping current ----------------------------------------------------------------

    def refreshed(self) -> "BrowseIndex":
        """This index if it is current with the database (one query to tell), else a new one
        that is: built from this one and the entries changed since, or read whole. An index
        is never changed once built, so a request can read one while another replaces it."""
        state = SearchState.objects.filter(pk=1).values_list("version", "token", "rebuilt_at")
        version, token, rebuilt_at = state.first() or (0, "", 0)
        if (version, token) == (self.version, self.token):
            return self
        changes = None
        if self.version >= rebuilt_at and self.token:
            rows = SearchChange.objects.filter(version__gte=self.version)
            changes = list(rows.values_list("version", "token", "initiative_id"))
            # Catch up piecemeal only from a state the database's history holds (not one that
            # was rolled back, nor one older than the changes kept).
            if not any(v == self.version and t == self.token for v, t, _pk in changes):
                changes = None
        fresh = BrowseIndex()
        if changes is None:
            fresh._load(_entries())
        else:
            ids = list({pk for v, _t, pk in changes if v > self.version})
            fresh._load_changed(self, ids, _entries(ids))
        fresh.version, fresh.token = version, token
        return fresh

    def _load(self, entries: dict[int, _Entry]) -> None:
        self.entries = entries
        members: dict[str, list[int]] = defaultdict(list)
        for pk, entry in entries.items():
            for key in entry.keys:
                members[key].append(pk)
        self.postings = {key: BitMap(pks) for key, pks in members.items()}
        self.everything = BitMap(entries)

    def _load_changed(self, old: "BrowseIndex", ids: list[int], entries: dict) -> None:
        """`old` with these entries replaced (or removed); bitmaps copied where they change."""
        self.entries = dict(old.entries)
        self.postings = dict(old.postings)
        self.everything = BitMap(old.everything)
        copied: set[str] = set()

        def posting(key: str) -> BitMap:
            if key not in copied:
                self.postings[key] = BitMap(self.postings.get(key, ()))
                copied.add(key)
            return self.postings[key]

        for pk in ids:
            previous = self.entries.pop(pk, None)
            self.everything.discard(pk)
            for key in previous.keys if previous else ():
                posting(key).discard(pk)
            if new := entries.get(pk):
                self.entries[pk] = new
                self.everything.add(pk)
                for key in new.keys:
                    posting(key).add(pk)

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
                    return (next((titles[c] for c in chain if titles.get(c)), ""), pk)

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


_current = BrowseIndex()
_lock = threading.Lock()


def browse_index() -> BrowseIndex:
    """This process's browse index, current with the database."""
    global _current
    with _lock:
        _current = _current.refreshed()
        return _current
