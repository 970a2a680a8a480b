"""Pages of a sorted list taken from the in-memory browse index: whichever way a page is
found (walking the order, or sorting the entries), it is the same as sorting them all."""

import random

from pyroaring import BitMap

from stocktake.search.browse import BrowseIndex


def test_a_page_is_the_slice_of_the_entries_in_the_order_whatever_their_number():
    rng = random.Random(3)
    for _trial in range(300):
        size = rng.choice([0, 1, 5, 50, 1000, 5000])
        ids = rng.sample(range(1, 20000), size)
        index = BrowseIndex()
        index.updated = {pk: rng.randrange(10**6) for pk in ids}
        index.published = dict(index.updated)
        order, positions = index._order("updated", "en")
        count = rng.choice([0, 1, 3, size // 10 + 1, size // 2 + 1, size])
        within = BitMap(rng.sample(ids, min(count, size)))
        if rng.random() < 0.3:
            within = BitMap(order[len(order) - min(count, size) :])  # the last in the order
        offset, limit = rng.choice([0, 20, 200]), rng.choice([1, 20])
        expected = sorted(within, key=positions.__getitem__)[offset : offset + limit]
        page = index.page(within, sort="updated", language="", offset=offset, limit=limit)
        assert page == expected, (size, count, offset, limit)
