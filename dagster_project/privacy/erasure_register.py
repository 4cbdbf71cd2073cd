"""The erasure register: keyed hashes of every identifier of every erased person.

``audit.erased_identifiers`` holds (erasure_id, identifier_type, identifier_hash); the hash is
HMAC-SHA256 under ``CRM_ERASURE_KEY`` of the identifier *normalized for matching*
(``match_form``), never the plaintext. The raw loader consults it for every file it loads
(``erased_rows_sql``): a re-delivered extract that still holds an erased person loses their
rows before they reach ``raw`` (and the landing file is rewritten without them).

Matching a raw value against an identifier of a type (the raw column's
``config.meta.identifier_type``, see ``privacy/classification.py``):

* ``email`` and handles (``*_handle``): ``lower(trim(value))`` without leading ``@``;
* ``phone``: the digits without leading zeros; an identifier in E.164 (``+393331234567``) is
  registered with its national forms too (the digits without a 1-3 digit calling code), so
  ``333 123 4567``, ``+39 333 123 4567`` and ``0039 333 1234567`` all match (7 digits at least);
* ``social_handle`` (a raw column holding Instagram/LinkedIn handles or Facebook ids, the platform
  in another column): compared as a handle with every ``*_handle`` and ``facebook_id`` identifier;
* any other type (GA4 ``user_pseudo_id``, ``customer_number``, ``crm_contact_id``, order ids
  and numbers): ``lower(trim(value))``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import duckdb
import yaml

from dagster_project.ingest.raw_contract import RawTable
from dagster_project.privacy.keyed_hash import ERASURE_KEY_ENV, MissingSecretError, hmac_hex, hmac_sql, secret
from dagster_project.settings import DBT_PROJECT_DIR

REGISTER_TABLE = "audit.erased_identifiers"
LOG_TABLE = "audit.erasure_log"
MIN_PHONE_DIGITS = 7
SOCIAL_HANDLE = "social_handle"  # a raw column of handles of several platforms (see _types_matching)


def erasure_key() -> bytes:
    return secret(ERASURE_KEY_ENV, "the erasure register (erasing people, and loading files once someone was erased)")


def _kind(identifier_type: str) -> str:
    if identifier_type == "phone":
        return "phone"
    if identifier_type == "email" or identifier_type.endswith("_handle"):
        return "handle"
    return "plain"


def match_form_sql(expression: str, identifier_type: str) -> str:
    """SQL of the matching form of a raw value of that type (null when it cannot match)."""
    text = f"cast({expression} as varchar)"
    kind = _kind(identifier_type)
    if kind == "phone":
        digits = f"ltrim(regexp_replace({text}, '[^0-9]', '', 'g'), '0')"
        return f"(case when length({digits}) >= {MIN_PHONE_DIGITS} then {digits} end)"
    if kind == "handle":
        return f"nullif(lower(ltrim(trim({text}), '@')), '')"
    return f"nullif(lower(trim({text})), '')"


@cache
def calling_codes() -> tuple[str, ...]:
    """ITU calling codes the warehouse knows (dbt var ``phone_calling_codes``), longest first."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    codes = {str(code) for code in (project.get("vars") or {}).get("phone_calling_codes", {}).values()}
    return tuple(sorted(codes, key=lambda code: (-len(code), code)))


def match_forms(identifier_type: str, value: str) -> set[str]:
    """The matching forms an identifier is registered under (Python twin of ``match_form_sql``)."""
    kind = _kind(identifier_type)
    if kind == "phone":
        text = value.strip()
        digits = "".join(ch for ch in text if ch.isdigit())
        forms = {digits.lstrip("0")}
        if text.startswith(("+", "00")):
            international = digits[2:] if text.startswith("00") else digits
            forms.add(international)
            code = next((c for c in calling_codes() if international.startswith(c)), None)
            if code:  # the national form: 333 123 4567 for +39 333 123 4567
                forms.add(international[len(code) :].lstrip("0"))
        return {form for form in forms if len(form) >= MIN_PHONE_DIGITS}
    if kind == "handle":
        form = value.strip().lstrip("@").lower()
        return {form} if form else set()
    form = value.strip().lower()
    return {form} if form else set()


def ensure_register(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {REGISTER_TABLE} (
            erasure_id varchar not null,
            identifier_type varchar not null,
            identifier_hash varchar not null
        )"""
    )
    con.execute(
        f"""create table if not exists {LOG_TABLE} (
            erasure_id varchar not null,
            request_hash varchar not null,      -- HMAC of the request's identifiers, sorted
            requested_at timestamp not null,    -- UTC
            completed_at timestamp,             -- UTC; null while the erasure job has not finished
            identifier_count integer not null,  -- identifiers erased (every one of the resolved customers)
            customer_count integer not null,
            rows_removed json,                  -- {{"raw.<table>": n, "landing": n, ...}}
            status varchar not null             -- planned, scrubbed, completed
        )"""
    )


def register_is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'audit' and table_name = 'erased_identifiers'"
        " and database_name = current_database()"
    ).fetchone()[0]
    return not exists or not con.execute(f"select count(*) from {REGISTER_TABLE}").fetchone()[0]


def register(
    con: duckdb.DuckDBPyConnection, erasure_id: str, identifiers: Iterable[tuple[str, str]], key: bytes
) -> int:
    """Add the hashes of every matching form of ``(identifier_type, value)``; returns rows added."""
    ensure_register(con)
    rows = sorted(
        {
            (erasure_id, identifier_type, hmac_hex(key, form))
            for identifier_type, value in identifiers
            for form in match_forms(identifier_type, value)
        }
    )
    if rows:
        con.executemany(f"insert into {REGISTER_TABLE} values (?, ?, ?)", rows)
    return len(rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_sql(root: str, parts: Iterable[str]) -> str:
    return root + "".join("." + _quote(part) for part in parts)


def identifier_leaves(table: RawTable) -> list[tuple[str, tuple[str, ...], str]]:
    """(column, field path, identifier_type) of every typed identifier column or field. A path part
    ending in ``[]`` is a list whose struct elements hold the field (``contacts.results[].id``)."""
    leaves = []
    for column in table.columns:
        for entry in column.privacy:
            if entry.pii == "identifier" and entry.identifier_type:
                leaves.append((column.name, entry.field_path, entry.identifier_type))
    return leaves


def leaf_test(
    alias: str, column: str, path: tuple[str, ...], identifier_type: str, key: bytes, register_table: str
) -> str:
    """SQL: the leaf of the row ``alias`` (any element, through one list) is in the register."""
    hashes = f"(select identifier_hash from {register_table} where {_types_matching(identifier_type)})"
    listed = next((i for i, part in enumerate(path) if part.endswith("[]")), None)
    if listed is None:
        form = match_form_sql(_path_sql(f"{alias}.{_quote(column)}", path), identifier_type)
        return f"{hmac_sql(form, key)} in {hashes}"
    if any(part.endswith("[]") for part in path[listed + 1 :]):
        raise ValueError(f"{column}.{'.'.join(path)}: only one list level is supported in pii_fields")
    outer = (*path[:listed], path[listed][:-2])
    form = match_form_sql(_path_sql("_leaf.e", path[listed + 1 :]), identifier_type)
    return (
        f"exists (select 1 from (select unnest({_path_sql(f'{alias}.{_quote(column)}', outer)}) as e) as _leaf"
        f" where {hmac_sql(form, key)} in {hashes})"
    )


def _types_matching(identifier_type: str) -> str:
    """Register types a raw leaf of ``identifier_type`` is compared with. ``social_handle``: a column
    whose platform is in another column (an Instagram or LinkedIn handle, a Facebook id)."""
    if identifier_type == SOCIAL_HANDLE:
        return "(ends_with(identifier_type, '_handle') or identifier_type = 'facebook_id')"
    return f"identifier_type = '{identifier_type}'"


def erased_rows_sql(table: RawTable, key: bytes, register_table: str = REGISTER_TABLE, alias: str = "r") -> str | None:
    """A predicate on ``alias`` (a row of the raw table) true for a row of an erased person.

    ``None`` when the table has no typed identifier (nothing to match: documented gap)."""
    leaves = identifier_leaves(table)
    if not leaves:
        return None
    return "(" + " or ".join(leaf_test(alias, c, p, t, key, register_table) for c, p, t in leaves) + ")"


def missing_key_message(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why files cannot be loaded: the register holds people but the key is not configured."""
    if register_is_empty(con):
        return None
    try:
        erasure_key()
    except MissingSecretError as error:
        people = con.execute(f"select count(distinct erasure_id) from {REGISTER_TABLE}").fetchone()[0]
        return f"the erasure register holds {people} erasure(s), and loading must leave those people out: {error}"
    return None


def counts_json(counts: Mapping[str, int]) -> str:
    import json

    return json.dumps({name: int(n) for name, n in sorted(counts.items()) if n}, sort_keys=True)
