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
