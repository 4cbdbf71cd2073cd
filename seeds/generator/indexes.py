"""Indexes that keep the generator linear: a growing population must never cost a scan per item.

``ReplyCandidates`` answers, for a blog comment, "the later top-level comments of the same post by
somebody else" as a sequence that ``random.choice`` can draw from, without building the list
(which made assigning reader replies quadratic in the number of comments).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

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


class Later(Sequence[T]):
    """The open items of a group after time ``ts`` not owned by ``owner``, in group order (a view)."""

    def __init__(self, group: _Group[T], ts: int, owner: Hashable) -> None:
        self._g = group
        self._start = bisect_right(group.times, ts)
        self._base = group.open.prefix(self._start)
        mine = group.by_owner.get(owner, [])
        self._mine = mine[bisect_left(mine, self._start) :]
        self._len = group.open.prefix(len(group.items)) - self._base - len(self._mine)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        g = self._g
        rank = self._base + i + 1
        pos = g.open.kth(rank)
        for q in self._mine:  # skip the owner's own items up to the answer
            if q > pos:
                break
            rank += 1
            pos = g.open.kth(rank)
        return g.items[pos]


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

    def later(self, key: Hashable, ts: int, owner: Hashable) -> Later[T]:
        return Later(self._groups[key], ts, owner)

    def close(self, item: T) -> None:
        key, i = self._pos[id(item)]
        g = self._groups[key]
        mine = g.by_owner.get(self._owner(item), [])
        j = bisect_left(mine, i)
        if j < len(mine) and mine[j] == i:
            del mine[j]
            g.open.clear(i)
