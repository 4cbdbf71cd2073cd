"""Column-level classification of personal data, read from the dbt YAML (``config.meta.pii``).

Every column of every source, model and seed states what it holds about a person, in
``config.meta`` of the column::

    config:
      meta:
        pii: identifier          # one of PII_CLASSES
        identifier_type: email   # identifier columns of raw sources: the identity graph's type

A struct column of a raw source (a HubSpot ``properties``, a Mailchimp ``merge_fields``)
classifies itself (the most sensitive of its fields) and its fields, by dot path::

    config:
      meta:
        pii: identifier
        pii_fields:
          email: {pii: identifier, identifier_type: email}
          firstname: {pii: name}

A dot path is what DuckDB's dot syntax reaches on the raw row (``"customer"."email"``, the erasure
code matches it so): through nested structs, never into a list (a list of structs, or a struct
reached only through one, such as Meta's ``comments.data[].from``, classifies the column alone;
``struct_field_paths`` lists the paths a type has). On a ``map(varchar, varchar)`` column the path
is a key (Mailchimp merge-field tag ``FNAME``, Delighted person property ``Customer ID``).

The classes and what the pseudonymized BI publication does with them (``PUBLISH_ACTIONS``):

* ``none`` - not about a person (campaigns, pages, spend, counts, rates): published.
* ``pseudonym`` - a key standing for a person that names nobody outside the warehouse
  (``customer_id``, a hash): published.
* ``quasi`` - an indirect identifier analyses need (country, city, email domain, a date,
  a job title, a persona): published.
* ``free_text`` - text a person wrote (a review, a comment, an NPS verbatim): published
  (sentiment analysis reads it; it may name people, see the README's Privacy section).
* ``identifier`` - a direct identifier (email, phone, social handle, GA4 device id, shop
  customer number, CRM contact id, order number, a street address): published as a keyed
  hash (``keyed_hash.hmac_sql``), so joins between tables still work; erasure matches
  these (``identifier_type``).
* ``name`` - a person's name (first, last, full, display name): dropped from the publication.

``identifier_type`` uses the identity graph's vocabulary (``int_identity__observations``):
``email``, ``phone``, ``customer_number``, ``user_pseudo_id``, ``crm_contact_id``,
``instagram_handle``, ``linkedin_handle``, ``facebook_id``, ``<platform>_handle``, plus
``order_id`` / ``order_number`` (a shop order's id and name), ``social_handle`` (a column of handles of
several platforms, the platform in another column) and ``record_id`` (another
source record's own id, matched only within its table).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PII_CLASSES: dict[str, str] = {
    "none": "not about a person",
    "pseudonym": "a key standing for a person, naming nobody outside the warehouse",
    "quasi": "an indirect identifier analyses need (country, city, domain, a date)",
    "free_text": "text a person wrote",
    "identifier": "a direct identifier (email, phone, handle, device id, account or order number)",
    "name": "a person's name",
}
# identifier_type of raw identifier columns: the identity graph's types plus the shop order keys;
# record_id (another record's own id) is matched only within its table
IDENTIFIER_TYPES: tuple[str, ...] = (
    "email",
    "phone",
    "customer_number",
    "user_pseudo_id",
    "crm_contact_id",
    "instagram_handle",
    "linkedin_handle",
    "facebook_id",
    "order_id",
    "order_number",
)
PUBLISH_ACTIONS: dict[str, str] = {
    "none": "keep",
    "pseudonym": "keep",
    "quasi": "keep",
    "free_text": "keep",
    "identifier": "hash",
    "name": "drop",
}
PERSONAL_CLASSES = frozenset({"identifier", "name", "free_text"})


class ClassificationError(ValueError):
    """A column's ``meta.pii`` is missing or not in the vocabulary."""


@dataclass(frozen=True)
class ColumnPii:
    """The classification of one column (or one field of a struct column: ``field_path``)."""

    column: str
    pii: str | None
    identifier_type: str | None = None
    field_path: tuple[str, ...] = ()

    @property
    def publish_action(self) -> str | None:
        return PUBLISH_ACTIONS.get(self.pii or "")

    @property
    def is_personal(self) -> bool:
        return self.pii in PERSONAL_CLASSES


def column_meta(column: Mapping[str, Any]) -> dict[str, Any]:
    """A column's meta, ``config.meta`` winning over the legacy top-level ``meta``."""
    meta = dict(column.get("meta") or {})
    meta.update((column.get("config") or {}).get("meta") or {})
    return meta


def classify(name: str, meta: Mapping[str, Any]) -> list[ColumnPii]:
    """The column's own classification, then one per classified struct field."""
    entries = [ColumnPii(name, meta.get("pii"), meta.get("identifier_type"))]
    for path, field_meta in (meta.get("pii_fields") or {}).items():
        field_meta = field_meta if isinstance(field_meta, Mapping) else {"pii": field_meta}
        entries.append(
            ColumnPii(name, field_meta.get("pii"), field_meta.get("identifier_type"), tuple(str(path).split(".")))
        )
    return entries


def problems(owner: str, entries: Iterable[ColumnPii]) -> list[str]:
    """Unclassified or unknown classes, and identifier types on what is not an identifier."""
    found = []
    for entry in entries:
        where = f"{owner}.{entry.column}" + ("." + ".".join(entry.field_path) if entry.field_path else "")
        if entry.pii is None:
            found.append(f"{where}: no meta.pii (one of {', '.join(PII_CLASSES)})")
        elif entry.pii not in PII_CLASSES:
            found.append(f"{where}: meta.pii {entry.pii!r} is not one of {', '.join(PII_CLASSES)}")
        elif entry.identifier_type and entry.pii != "identifier":
            found.append(f"{where}: identifier_type {entry.identifier_type!r} on a column classified {entry.pii!r}")
    return found


def load_manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def relation_columns(manifest: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, ColumnPii]]:
    """(schema, relation) -> column name (lower-case) -> classification, for models and seeds.

    Only the column's own entry (no struct fields: marts have none worth classifying apart)."""
    relations: dict[tuple[str, str], dict[str, ColumnPii]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") not in {"model", "seed", "snapshot"}:
            continue
        name = node.get("alias") or node["name"]
        relations[(node["schema"], name)] = {
            column_name.lower(): classify(column_name, column_meta(column))[0]
            for column_name, column in (node.get("columns") or {}).items()
        }
    return relations


def source_columns(manifest: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, ColumnPii]]:
    """(schema, table) -> column name (lower-case) -> classification, for dbt sources (``ml``, ``raw``)."""
    relations: dict[tuple[str, str], dict[str, ColumnPii]] = {}
    for node in manifest.get("sources", {}).values():
        if node.get("resource_type") != "source":
            continue
        name = node.get("identifier") or node["name"]
        relations[(node["schema"], name)] = {
            column_name.lower(): classify(column_name, column_meta(column))[0]
            for column_name, column in (node.get("columns") or {}).items()
        }
    return relations


def manifest_problems(manifest: Mapping[str, Any]) -> list[str]:
    """Every unclassified / misclassified column of the project's sources, models and seeds."""
    found: list[str] = []
    for kind in ("sources", "nodes"):
        for node in manifest.get(kind, {}).values():
            if node.get("resource_type") not in {"source", "model", "seed", "snapshot"}:
                continue
            if node.get("package_name") != manifest.get("metadata", {}).get("project_name", node.get("package_name")):
                continue
            owner = f"{node.get('source_name') + '.' if kind == 'sources' else ''}{node['name']}"
            for column_name, column in (node.get("columns") or {}).items():
                found += problems(owner, classify(column_name, column_meta(column)))
    return found


def _split_top_level(text: str) -> list[str]:
    """``a int, b struct(x int, y int)`` -> the two members, splitting on top-level commas only."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def struct_field_paths(data_type: str | None) -> frozenset[str] | None:
    """Every field of a DuckDB struct type by dot path (``customer.email``), through nested structs.

    A list member is a path, and its struct elements' fields are ``member[].field`` (the erasure reads
    them through ``unnest``; DuckDB's dot syntax does not reach into a list). None when the type is
    not a struct (a list, a ``map(...)``: a map's keys are data, not type, so ``pii_fields`` of a map
    column name keys no type lists)."""
    if not data_type:
        return None
    text = data_type.strip()
    if not text.lower().startswith("struct(") or not text.endswith(")"):
        return None
    paths: set[str] = set()
    for member in _split_top_level(text[len("struct(") : -1]):
        if member.startswith('"'):
            name, _, member_type = member[1:].partition('"')
        else:
            name, _, member_type = member.partition(" ")
        paths.add(name)
        nested = struct_field_paths(member_type)
        paths.update(f"{name}.{path}" for path in nested or ())
        if member_type.strip().endswith("[]"):
            elements = struct_field_paths(member_type.strip()[:-2])
            paths.update(f"{name}[].{path}" for path in elements or ())
    return frozenset(paths)
