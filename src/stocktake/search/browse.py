"""The browse index: facet postings and sort orders of the published entries, in memory.

Facet counts over every published entry, and filtered lists sorted by date or title, are
what the list page asks for on every view; as SQL they cost a pass over every entry's
classifications (hundreds of milliseconds at 100,000 entries). Here each facet value holds a
compressed bitmap of the entries filed under it (Roaring, via pyroaring), so a filter is a
union or intersection of bitmaps and a count is an intersection's size, in microseconds.

Every process keeps its own copy and checks, once per request, the index version in the
database (SearchState): when another process has indexed entries since, it re-reads just
those (SearchChange), or everything after a full reindex. Nothing assumes a single process.
A list page reads the version in the same query as its entries instead, and is worked out
again on a refreshed index when that shows the copy was behind (browse_index).
A built index is never changed: a refresh makes a new one, so a request reading one is never
disturbed by another replacing it.
"""

import heapq
import json
import threading
from array import array
from collections import defaultdict
from itertools import islice

from django.db import connection
from pyroaring import BitMap

from stocktake.core.i18n import fallback_chain

from .models import SearchChange, SearchListing, SearchState

SORT_ORDERS = ("updated", "newest", "title")
_STATE_TABLE = f'"{SearchState._meta.db_table}"'
WALK_STEPS_PER_ENTRY = 5
_EMPTY = BitMap()


def _listings(ids: list[int] | None = None):
    """(id, facet keys, first published, last published, title keys) of indexed entries (all,
    or these), read without the ORM's per-value conversions: at 100,000 rows they would cost
    more than the read."""
    queryset = SearchListing.objects.all()
    if ids == []:
        return
    if ids is not None:
        queryset = queryset.filter(initiative_id__in=ids)
    sql, params = queryset.values_list(
        "initiative_id", "facets", "published", "last_published", "titles"
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            yield from rows


class BrowseIndex:
    def __init__(self):
        self.version, self.token = -1, ""
        # {facet: {value: entries}}: "countries" → "EG" → bitmap.
        self.facets: dict[str, dict[str, BitMap]] = {}
        self.everything = BitMap()
        self.published: dict[int, int] = {}  # microseconds since the epoch
        self.updated: dict[int, int] = {}
        self.titles: dict[int, str] = {}  # title keys by language, as stored (JSON)
        # Sort orders, computed on first use (the only state added after building).
        self._orders: dict[str, tuple[list[int], array]] = {}

    # --- keeping current ----------------------------------------------------------------

    @property
    def state(self) -> str:
        """The index state this index was built for, as `state_sql()` reads it."""
        return f"{self.version}:{self.token}"

    def refreshed(self) -> "BrowseIndex":
        """This index if it is current with the database (one query to tell), else a new one
        that is: built from this one and the entries changed since, or read whole."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT version, token, rebuilt_at FROM {_STATE_TABLE} WHERE id = 1"  # noqa: S608 (a model's table)
            )
            version, token, rebuilt_at = cursor.fetchone() or (0, "", 0)
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
            fresh._load()
        else:
            fresh._load_changed(self, list({pk for v, _t, pk in changes if v > self.version}))
        fresh.version, fresh.token = version, token
        return fresh

    def _add(self, rows, members: dict[str, list[int]]) -> None:
        for pk, facets, published, updated, titles in rows:
            self.published[pk], self.updated[pk], self.titles[pk] = published, updated, titles
            for key in facets.split():
                members[key].append(pk)

    def _load(self) -> None:
        members: dict[str, list[int]] = defaultdict(list)
        self._add(_listings(), members)
        for key, pks in members.items():
            facet, _colon, value = key.partition(":")
            self.facets.setdefault(facet, {})[value] = BitMap(pks)
        self.everything = BitMap(self.published)

    def _load_changed(self, old: "BrowseIndex", ids: list[int]) -> None:
        """`old` with these entries re-read (or removed); bitmaps copied where they change."""
        self.published, self.updated = dict(old.published), dict(old.updated)
        self.titles = dict(old.titles)
        self.everything = BitMap(old.everything) - BitMap(ids)
        for pk in ids:
            for data in (self.published, self.updated, self.titles):
                data.pop(pk, None)
        changed = BitMap(ids)
        self.facets = {
            facet: {
                value: (posting - changed) if posting.intersect(changed) else posting
                for value, posting in values.items()
            }
            for facet, values in old.facets.items()
        }
        members: dict[str, list[int]] = defaultdict(list)
        self._add(_listings(ids), members)
        for key, pks in members.items():
            facet, _colon, value = key.partition(":")
            values = self.facets.setdefault(facet, {})
            values[value] = values.get(value, _EMPTY) | BitMap(pks)
        self.everything |= BitMap(pk for pk in ids if pk in self.published)

    # --- reading ------------------------------------------------------------------------

    def matching(self, filters: dict[str, list[str]], *, skip: str | None = None) -> BitMap:
        """Entries filed under any of the values of each facet (OR), for every facet (AND);
        `skip` leaves one facet out (for that facet's own counts)."""
        result = self.everything
        for facet, values in filters.items():
            if facet == skip or not values:
                continue
            postings = self.facets.get(facet, {})
            result = result & BitMap.union(*(postings.get(v, _EMPTY) for v in values))
        return result

    def counts(self, facet: str, within: BitMap) -> dict[str, int]:
        """{value: entries of `within` filed under it} for one facet, values with none left out."""
        counts = {}
        for value, posting in self.facets.get(facet, {}).items():
            if count := posting.intersection_cardinality(within):
                counts[value] = count
        return counts

    def _order(self, sort: str, language: str) -> tuple[list[int], array]:
        name = f"title:{language}" if sort == "title" else sort
        if name not in self._orders:
            if sort == "title":
                chain = fallback_chain(language)
                keys = {}
                for pk, stored in self.titles.items():
                    titles = json.loads(stored) if isinstance(stored, str) else stored
                    keys[pk] = next((titles[c] for c in chain if titles.get(c)), "")
                order = sorted(keys, key=lambda pk: (keys[pk], pk))
            else:
                dates = self.published if sort == "newest" else self.updated
                order = sorted(dates, key=lambda pk: (dates[pk] or 0, pk), reverse=True)
            positions = array("l", [0]) * ((max(order) + 1) if order else 1)
            for position, pk in enumerate(order):
                positions[pk] = position
            self._orders[name] = order, positions
        return self._orders[name]

    def page(self, within: BitMap, *, sort: str, language: str, offset: int, limit: int):
        """Ids of `within` in the sort order, from `offset`, at most `limit`."""
        if not within or limit <= 0:
            return []
        order, positions = self._order(sort, language)
        # Walk the order until the page is full, for as long as that costs less than
        # sorting the entries by their place in it (a step of the walk costs about a fifth
        # of what sorting costs an entry): a page of many entries is found in a few
        # hundred steps; a few entries, or entries far down the order, are sorted.
        wanted, found = offset + limit, []
        budget = WALK_STEPS_PER_ENTRY * len(within)
        for pk in islice(order, budget):
            if pk in within:
                found.append(pk)
                if len(found) == wanted:
                    return found[offset:]
        if budget >= len(order):
            return found[offset:]  # walked the whole order: this is all there is
        return heapq.nsmallest(wanted, within, key=positions.__getitem__)[offset:]


def state_sql() -> str:
    """SQL giving the index state as BrowseIndex.state writes it, to read in the same query
    as the entries a page shows (see browse_index)."""
    state = f"SELECT version || ':' || token FROM {_STATE_TABLE} WHERE id = 1"  # noqa: S608 (a model's table)
    return f"SELECT COALESCE(({state}), '0:')"


_current = BrowseIndex()
_lock = threading.Lock()


def browse_index(*, check: bool = True) -> BrowseIndex:
    """This process's browse index, current with the database.

    With `check=False`, the index as this process last found it (read first if it never has),
    for a caller that reads the state itself in its own query (`state_sql`) and asks again
    with the check when that differs from the index's: a round trip fewer per page."""
    global _current
    with _lock:
        if check or _current.version < 0:
            _current = _current.refreshed()
        return _current
