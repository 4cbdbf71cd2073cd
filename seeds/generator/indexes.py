"""Indexes that keep the generator linear: a growing population must never cost a scan per item.

- ``ReplyCandidates``: for a blog comment, the later top-level comments of the same post by somebody
  else (assigning reader replies built that list from every comment: quadratic in comments);
- ``Available``: persons not yet paired, but one (the shared-device pairing built that list per pair);
- ``Categorical``: a weighted draw from a fixed weight vector with numpy's exact arithmetic, the CDF
  computed once (a b2b person's company was drawn with a fresh CDF over every company of the country:
  quadratic in people).

Each gives the same elements in the same order as the list it replaces, and ``random.choice`` /
``Generator.choice`` the same draws, so the output is byte-for-byte unchanged.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")


class Fenwick:
    """Counts over positions 0..n-1 (0/1 flags), prefix sums and k-th set position in O(log n)."""

    def __init__(self, flags: Sequence[bool]) -> None:
        n = len(flags)
        tree = [0] * (n + 1)
        for i, f in enumerate(flags, start=1):
            if f:
                tree[i] += 1
            j = i + (i & -i)
            if j <= n:
                tree[j] += tree[i]
        self._tree = tree
        self._n = n
        self._top = 1 << n.bit_length() if n else 0

    def clear(self, pos: int) -> None:
        """Unset a set position."""
        i = pos + 1
        tree, n = self._tree, self._n
        while i <= n:
            tree[i] -= 1
            i += i & -i

    def prefix(self, pos: int) -> int:
        """How many set positions are < ``pos``."""
        s, i, tree = 0, pos, self._tree
        while i > 0:
            s += tree[i]
            i -= i & -i
        return s

    def kth(self, k: int) -> int:
        """The position of the ``k``-th set position (1-based ``k``)."""
        pos, step, tree, n = 0, self._top, self._tree, self._n
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] < k:
                pos = nxt
                k -= tree[nxt]
            step >>= 1
        return pos  # 0-based: the (pos + 1)-th slot of the tree


class OpenView(Sequence[T]):
    """The open items at positions >= ``start`` except the open positions ``skip`` (sorted), in order:
    what a list comprehension over the items would give, as a view ``random.choice`` can draw from
    (it asks ``len`` and one index) in O(log n) instead of O(n)."""

    def __init__(self, items: list[T], tree: Fenwick, start: int, skip: list[int]) -> None:
        self._items, self._tree, self._skip = items, tree, skip
        self._base = tree.prefix(start)
        self._len = tree.prefix(len(items)) - self._base - len(skip)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        tree = self._tree
        rank = self._base + i + 1
        pos = tree.kth(rank)
        for q in self._skip:  # step over the skipped positions up to the answer
            if q > pos:
                break
            rank += 1
            pos = tree.kth(rank)
        return self._items[pos]


class _Group(Generic[T]):
    """The items of one group (in their order, with non-decreasing times) and who wrote them."""

    def __init__(self, items: list[T], times: list[int], owners: list[Hashable], open_: list[bool]) -> None:
        self.items = items
        self.times = times
        self.open = Fenwick(open_)
        self.by_owner: dict[Hashable, list[int]] = {}
        for i, (owner, ok) in enumerate(zip(owners, open_, strict=True)):
            if ok:
                self.by_owner.setdefault(owner, []).append(i)


class ReplyCandidates(Generic[T]):
    """Items grouped by a key, each open or closed; ``later(...)`` lists a group's open items after a time
    by other owners; ``close(...)`` closes one (an answered comment takes no second reply)."""

    def __init__(self, items: list[T], group, ts, owner, is_open) -> None:
        rows: dict[Hashable, tuple[list[T], list[int], list[Hashable], list[bool]]] = {}
        for item in items:
            g = rows.setdefault(group(item), ([], [], [], []))
            g[0].append(item)
            g[1].append(ts(item))
            g[2].append(owner(item))
            g[3].append(bool(is_open(item)))
        self._groups = {k: _Group(*v) for k, v in rows.items()}
        self._pos: dict[int, tuple[Hashable, int]] = {
            id(item): (k, i) for k, g in self._groups.items() for i, item in enumerate(g.items)
        }
        self._owner = owner

    def later(self, key: Hashable, ts: int, owner: Hashable) -> OpenView[T]:
        """The group's open items with a time after ``ts`` whose owner is not ``owner``, in order."""
        g = self._groups[key]
        start = bisect_right(g.times, ts)
        mine = g.by_owner.get(owner, [])
        return OpenView(g.items, g.open, start, mine[bisect_left(mine, start) :])

    def close(self, item: T) -> None:
        key, i = self._pos[id(item)]
        g = self._groups[key]
        mine = g.by_owner.get(self._owner(item), [])
        j = bisect_left(mine, i)
        if j < len(mine) and mine[j] == i:
            del mine[j]
            g.open.clear(i)


class Available(Generic[T]):
    """A list whose items get taken one by one; ``others(item)`` is the untaken items but ``item``, in
    list order, as a view (the shared-device pairing drew from a fresh list comprehension per pair)."""

    def __init__(self, items: list[T]) -> None:
        self.items = items
        self._pos = {id(x): i for i, x in enumerate(items)}
        self._tree = Fenwick([True] * len(items))
        self._taken: set[int] = set()

    def others(self, item: T) -> OpenView[T]:
        i = self._pos[id(item)]
        return OpenView(self.items, self._tree, 0, [] if i in self._taken else [i])

    def take(self, item: T) -> None:
        i = self._pos[id(item)]
        if i not in self._taken:
            self._taken.add(i)
            self._tree.clear(i)


class Categorical:
    """``rng.choice(len(weights), p=weights / weights.sum())`` with the CDF computed once, not per draw.

    numpy's ``Generator.choice`` (replace=True, p given, one sample) computes ``cdf = p.cumsum()``,
    ``cdf /= cdf[-1]`` and returns ``cdf.searchsorted(self.random(), side="right")``: the same
    arithmetic and the same single ``random()`` draw here, so the same index and the same stream
    afterwards (checked in tests/test_generator_scale.py), in O(log n) instead of O(n) per draw."""

    __slots__ = ("cdf",)

    def __init__(self, weights: np.ndarray, normalize: bool = True) -> None:
        """``normalize=False``: ``weights`` are the probabilities as passed to ``choice(p=...)``."""
        p = np.asarray(weights, dtype=np.float64)
        if normalize:
            p = p / weights.sum()
        cdf = p.cumsum()
        cdf /= cdf[-1]
        self.cdf = cdf

    def draw(self, rng: np.random.Generator) -> int:
        return int(self.cdf.searchsorted(rng.random(), side="right"))
