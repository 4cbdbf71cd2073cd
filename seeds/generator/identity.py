"""Identifiers as typed in the extracts, their normal forms, and the ground-truth ledger.

Every writer reports the identifiers it puts on a row through
``IdentityLedger.row``; the ledger keeps the exact raw strings per person and
which identifiers of a person are connected to another identifier of the same
person through extract rows (directly on one row, or through a join key such as
an order number shared by a shop order and a GA4 purchase event).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

IDENTIFIER_TYPES = (
    "email",
    "phone",
    "user_pseudo_id",
    "user_id",
    "crm_contact_id",
    "instagram_handle",
    "linkedin_handle",
    "facebook_id",
)
_TYPE_ORDER = {t: i for i, t in enumerate(IDENTIFIER_TYPES)}


def normalize_email(raw: str) -> str:
    return raw.strip().lower()


def email_variant(rng: random.Random, email: str, p: float = 0.15) -> str:
    """The address as somebody typed it: ~``p`` of occurrences carry case/whitespace noise."""
    if rng.random() >= p:
        return email
    local, _, domain = email.partition("@")
    r = rng.random()
    if r < 0.30:
        cap = ".".join(x[:1].upper() + x[1:] for x in local.split("."))
        return f"{cap}@{domain[:1].upper()}{domain[1:]}"
    if r < 0.45:
        return email.upper()
    if r < 0.70:
        return email + " "
    if r < 0.88:
        return " " + email
    cap = local[:1].upper() + local[1:]
    return f" {cap}@{domain} "


@dataclass
class _Raw:
    type: str
    raw: str
    normalized: str
    person: int


class IdentityLedger:
    """Collects (raw identifier, person) occurrences and same-person connections."""

    def __init__(self) -> None:
        self._raw: dict[tuple[str, str, int], str] = {}
        self._parent: dict[tuple[int, str, str], tuple[int, str, str]] = {}
        # (type, normalized) -> the first person seen with it; the few identifiers that more than one
        # person carries (shared mailboxes, devices) also get the set of their persons in ``_shared``
        # (a set per identifier was a third of the ledger's memory)
        self._first_person: dict[tuple[str, str], int] = {}
        self._shared: dict[tuple[str, str], set[int]] = {}

    # union-find over (person, kind, value) tokens; kind is an identifier type or "join:<name>"
    def _find(self, t: tuple[int, str, str]) -> tuple[int, str, str]:
        parent = self._parent
        root = t
        while parent[root] != root:
            root = parent[root]
        while parent[t] != root:
            parent[t], t = root, parent[t]
        return root

    def _add(self, t: tuple[int, str, str]) -> None:
        if t not in self._parent:
            self._parent[t] = t

    def _union(self, a: tuple[int, str, str], b: tuple[int, str, str]) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            if ra < rb:
                self._parent[rb] = ra
            else:
                self._parent[ra] = rb

    def row(
        self, person: int, idents: list[tuple[str, str, str]] | tuple, joins: tuple[tuple[str, str], ...] = ()
    ) -> None:
        """Record one extract row of ``person`` carrying ``idents`` = [(type, raw, normalized)].

        ``joins`` are non-identifier keys on the row that another extract repeats
        (e.g. ("order", "ER-100231")): identifiers on rows sharing a join key are connected.
        """
        tokens: list[tuple[int, str, str]] = []
        for typ, raw, norm in idents:
            key = (typ, raw, person)
            if key not in self._raw:
                self._raw[key] = norm
                nk = (typ, norm)
                first = self._first_person.setdefault(nk, person)
                if first != person:
                    self._shared.setdefault(nk, {first}).add(person)
            tokens.append((person, typ, norm))
        for name, value in joins:
            tokens.append((person, "join:" + name, value))
        for t in tokens:
            self._add(t)
        for t in tokens[1:]:
            self._union(tokens[0], t)

    def has(self, typ: str, normalized: str, person: int) -> bool:
        """Whether an extract row already carried this identifier for ``person``."""
        nk = (typ, normalized)
        return self._first_person.get(nk) == person or person in self._shared.get(nk, ())

    def persons_with(self, types: tuple[str, ...]) -> set[int]:
        """Persons that appear with at least one identifier of the given types."""
        want = set(types)
        return {person for (typ, _, person) in self._raw if typ in want}

    def rows(self) -> list[tuple[str, str, str, int, bool, bool]]:
        """(type, raw, normalized, person, is_shared, linkable) sorted by person, type, value."""
        # identifiers per component
        comp_ids: dict[tuple[int, str, str], int] = {}
        seen_norm: dict[tuple[int, str, str], None] = {}
        for (typ, _raw, person), norm in self._raw.items():
            t = (person, typ, norm)
            if t in seen_norm:
                continue
            seen_norm[t] = None
            r = self._find(t)
            comp_ids[r] = comp_ids.get(r, 0) + 1
        out = []
        for (typ, raw, person), norm in self._raw.items():
            r = self._find((person, typ, norm))
            linkable = comp_ids[r] > 1
            shared = (typ, norm) in self._shared
            out.append((typ, raw, norm, person, shared, linkable))
        out.sort(key=lambda x: (x[3], _TYPE_ORDER[x[0]], x[2], x[1]))
        return out
