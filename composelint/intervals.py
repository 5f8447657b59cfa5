"""The earliest-added interval that overlaps a query and passes a test, in O(log n) lists.

Pairwise checks (two workloads publishing the same host port) ask, for each binding in turn, which
earlier binding it collides with.  Comparing every pair is quadratic: 8,000 entries `"1:1"` took
minutes.  This index keeps two segment trees over the interval ends (known in advance):

- a *cover* tree, where an interval sits on the O(log n) nodes that cover it exactly: the intervals
  containing a point are those on the path from its leaf to the root;
- a *start* tree, where an interval sits on every ancestor of its start's leaf: the intervals
  starting inside a range are on the O(log n) nodes that cover that range.

An interval overlaps [low, high] when it contains `low` or starts in (low, high], so a query reads
O(log n) lists, each in the order of addition, stopping at the first entry that passes.  The caller
gives each entry a key such that a query skips either every entry of a key or at most one of them;
two entries per key and list are then enough (`add`), so a skipped run stays short.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")


def overlapping(intervals: Sequence[tuple[int, int]]) -> list[bool]:
    """For each interval [low, high] (inclusive), whether another one overlaps it, in O(n log n).

    In order of their lows, an interval overlaps an earlier one when the highest end before it
    reaches its low, and a later one when the next one starts by its high (the next has the lowest
    low of the later ones)."""
    order = sorted(range(len(intervals)), key=lambda index: intervals[index][0])
    shared = [False] * len(intervals)
    reach = None  # the highest end of the intervals before, in order of their lows
    for position, index in enumerate(order):
        low, high = intervals[index]
        following = order[position + 1] if position + 1 < len(order) else None
        shared[index] = (reach is not None and reach >= low) or (
            following is not None and intervals[following][0] <= high
        )
        reach = high if reach is None else max(reach, high)
    return shared


def ranks(ends: Iterable[int]) -> dict[int, int]:
    """Each end's rank among them: the leaves of the trees (shared by the indexes over one set)."""
    return {end: rank for rank, end in enumerate(sorted(set(ends)))}


class IntervalIndex(Generic[Item]):
    """Intervals of integers whose ends are keys of `rank` (every low and high added or asked)."""

    def __init__(self, rank: dict[int, int], ranges: bool = True, per_key: int = 2) -> None:
        self.rank = rank
        self.ranges = ranges  # whether a query may be a range: without, the start tree is never read
        self.size = 1 << max(1, len(self.rank) - 1).bit_length()
        self.per_key = per_key
        # node -> (order, item) in the order of addition; the start tree's nodes are negative
        self.lists: dict[int, list[tuple[int, Item]]] = {}
        self.kept: dict[tuple[int, Hashable], int] = {}  # (node, key) -> items kept on that list

    def add(self, low: int, high: int, order: int, item: Item, key: Hashable = None) -> None:
        """Add [low, high] (inclusive) as the item of rank `order` (increasing from call to call).
        At most `per_key` items of one key are kept on each list: the later ones can only be the
        answer when the earlier ones are skipped, and then they are too."""
        leaf = self.rank[low] + self.size
        for node in (leaf,) if low == high else _canonical(leaf, self.rank[high] + self.size + 1):
            self._put(node, order, item, key)
        node = leaf
        while node and self.ranges:
            self._put(-node, order, item, key)
            node >>= 1

    def _put(self, node: int, order: int, item: Item, key: Hashable) -> None:
        kept = self.kept.get((node, key), 0)
        if kept < self.per_key:
            self.kept[node, key] = kept + 1
            self.lists.setdefault(node, []).append((order, item))

    def first(
        self,
        low: int,
        high: int,
        passes: Callable[[Item], bool],
        expired: Callable[[Item], bool] | None = None,
    ) -> tuple[int, Item] | None:
        """The earliest-added item overlapping [low, high] that passes, with its order, if any.
        Items found `expired` never pass again (a container that has ended, for every later
        query): they are dropped from the lists read, so no later query reads them."""
        best: tuple[int, Item] | None = None
        node = self.rank[low] + self.size
        nodes = []
        while node:  # without ranges, every interval is a leaf of its own
            nodes.append(node)
            node = node >> 1 if self.ranges else 0
        left, right = self.rank[low] + self.size + 1, self.rank[high] + self.size + 1
        if left < right and not self.ranges:
            raise ValueError("a range asked of an index made for single points")
        nodes.extend(-node for node in _canonical(left, right))
        for node in nodes:
            entries = self.lists.get(node, [])
            dropped = False
            for order, item in entries:
                if best is not None and order >= best[0]:
                    break
                if expired is not None and expired(item):
                    dropped = True
                elif passes(item):
                    best = (order, item)
                    break
            if dropped and expired is not None:
                entries[:] = [entry for entry in entries if not expired(entry[1])]
        return best


def _canonical(left: int, right: int) -> list[int]:
    """Nodes of a bottom-up segment tree covering leaves [left, right) exactly."""
    nodes = []
    while left < right:
        if left & 1:
            nodes.append(left)
            left += 1
        if right & 1:
            right -= 1
            nodes.append(right)
        left >>= 1
        right >>= 1
    return nodes
