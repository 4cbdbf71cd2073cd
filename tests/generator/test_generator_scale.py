"""The generator's indexes give the same answers as the scans they replace (so the output is unchanged)."""

from __future__ import annotations

import random

from seeds.generator.indexes import Fenwick, ReplyCandidates


def test_fenwick_prefix_and_kth_match_a_list() -> None:
    r = random.Random(7)
    flags = [r.random() < 0.4 for _ in range(300)]
    tree = Fenwick(flags)
    for _ in range(200):
        for pos in (0, 1, 17, 150, 299, 300):
            assert tree.prefix(pos) == sum(flags[:pos])
        set_positions = [i for i, f in enumerate(flags) if f]
        for k, pos in enumerate(set_positions, start=1):
            assert tree.kth(k) == pos
        if set_positions:
            pos = r.choice(set_positions)
            tree.clear(pos)
            flags[pos] = False


def test_reply_candidates_match_the_scan_they_replace() -> None:
    """The blog's reply assignment: same candidates, same order, same random draws as the list scan."""
    for seed in range(5):
        r = random.Random(seed)
        owners = [object() for _ in range(15)]
        comments = [
            {
                "post": r.randrange(4),
                "_ts": r.randrange(60),  # many equal times
                "parent": 0,
                "_person": r.choice(owners),
                "status": "approved" if r.random() < 0.8 else "hold",
                "_key": k + 1,
            }
            for k in range(400)
        ]
        comments.sort(key=lambda c: c["_ts"])
        naive = [dict(c) for c in comments]
        index = ReplyCandidates(
            comments,
            group=lambda o: o["post"],
            ts=lambda o: o["_ts"],
            owner=lambda o: id(o["_person"]),
            is_open=lambda o: o["parent"] == 0 and o["status"] == "approved",
        )
        r1, r2 = random.Random(seed + 100), random.Random(seed + 100)
        for c, n in zip(comments, naive, strict=True):
            if r1.random() < 0.5 and n["status"] == "approved":
                others = [
                    o
                    for o in naive
                    if o["post"] == n["post"]
                    and o["_ts"] > n["_ts"]
                    and o["parent"] == 0
                    and o["_person"] is not n["_person"]
                    and o["status"] == "approved"
                ]
                if others:
                    r1.choice(others)["parent"] = n["_key"]
            if r2.random() < 0.5 and c["status"] == "approved":
                view = index.later(c["post"], c["_ts"], id(c["_person"]))
                assert [o["_key"] for o in view] == [o["_key"] for o in others]
                if view:
                    reply = r2.choice(view)
                    reply["parent"] = c["_key"]
                    index.close(reply)
        assert [c["parent"] for c in comments] == [c["parent"] for c in naive]
        assert r1.random() == r2.random()


def test_categorical_draws_what_numpy_choice_draws() -> None:
    """Same index as Generator.choice(n, p=w / w.sum()) and the same stream afterwards."""
    import numpy as np

    from seeds.generator.indexes import Categorical

    for seed, n in ((1, 1), (2, 7), (3, 365), (4, 5000)):
        weights = np.random.default_rng(seed).random(n) ** 3 + (np.arange(n) == 0)
        a, b = np.random.default_rng(seed + 10), np.random.default_rng(seed + 10)
        pick = Categorical(weights)
        for _ in range(2000):
            assert int(a.choice(n, p=weights / weights.sum())) == pick.draw(b)
        assert a.random() == b.random()
    ones = np.ones(40)
    a, b = np.random.default_rng(0), np.random.default_rng(0)
    assert [int(a.choice(40, p=ones / ones.sum())) for _ in range(500)] == [
        Categorical(ones).draw(b) for _ in range(500)
    ]


def test_available_matches_the_pairing_scan() -> None:
    from seeds.generator.indexes import Available

    for seed in range(5):
        r1, r2 = random.Random(seed), random.Random(seed)
        people = [object() for _ in range(120)]
        used: set[int] = set()
        free = Available(people)
        order = list(range(len(people)))
        r1.shuffle(order)
        r2.shuffle(order[:])
        for k in order:
            a = people[k]
            if id(a) in used:
                continue
            cands = [b for b in people if b is not a and id(b) not in used]
            view = free.others(a)
            assert list(view) == cands
            if not cands:
                continue
            b1, b2 = r1.choice(cands), r2.choice(view)
            assert b1 is b2
            used.update((id(a), id(b1)))
            free.take(a)
            free.take(b2)
