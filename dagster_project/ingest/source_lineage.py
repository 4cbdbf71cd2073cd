"""Which raw tables feed each dbt model, and which raw tables hold delivered data.

A team may deliver any subset of the channels. A model whose raw tables are all empty is
built empty and says so; a quality gate does not fail for a source that was never delivered.
Both need the model -> raw tables lineage, read from dbt's manifest, and the set of raw
tables with rows, read from the load manifest.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import duckdb

from dagster_project.ingest.raw_contract import RAW_SCHEMA


@cache
def _upstream_by_model(manifest_path: Path, cut: frozenset[str] = frozenset()) -> dict[str, frozenset[str]]:
    """model name -> raw tables upstream of it; models named in ``cut`` are treated as having no parents."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    sources = {
        uid: source.get("identifier") or source["name"]
        for uid, source in manifest.get("sources", {}).items()
        if source.get("schema") == RAW_SCHEMA
    }
    nodes = manifest.get("nodes", {})
    resolved: dict[str, frozenset[str]] = {}

    def upstream(uid: str, trail: tuple[str, ...] = ()) -> frozenset[str]:
        if uid in resolved:
            return resolved[uid]
        if uid in sources:
            return frozenset({sources[uid]})
        node = nodes.get(uid)
        if node is None or uid in trail or node.get("name") in cut:
            return frozenset()
        found: set[str] = set()
        for parent in node.get("depends_on", {}).get("nodes", []):
            found |= upstream(parent, (*trail, uid))
        resolved[uid] = frozenset(found)
        return resolved[uid]

    return {
        node["name"]: upstream(uid)
        for uid, node in nodes.items()
        if node.get("resource_type") in ("model", "snapshot", "seed")
    }


# Models through which every identifier-carrying source reaches every customer-keyed model.
IDENTITY_MODELS = ("int_identity__observations", "int_identity__nodes")


def content_raw_tables(model: str, manifest_path: Path | None = None) -> frozenset[str]:
    """Raw tables a model takes rows or figures from: its lineage not counting identity resolution."""
    if manifest_path is None:
        from dagster_project.dbt_project import dbt_project

        manifest_path = Path(dbt_project.manifest_path)
    return _upstream_by_model(Path(manifest_path), frozenset(IDENTITY_MODELS)).get(model, frozenset())


def upstream_raw_tables(model: str, manifest_path: Path | None = None) -> frozenset[str]:
    """Raw tables (by identifier) a dbt model reads, directly or through other models."""
    if manifest_path is None:
        from dagster_project.dbt_project import dbt_project

        manifest_path = Path(dbt_project.manifest_path)
    return _upstream_by_model(Path(manifest_path)).get(model, frozenset())


def delivered_raw_tables(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Raw tables holding at least one loaded row."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = '_load_manifest'",
        [RAW_SCHEMA],
    ).fetchone()[0]
    if not exists:
        return frozenset()
    rows = con.execute(
        f"select table_name from {RAW_SCHEMA}._load_manifest group by table_name having sum(row_count) > 0"
    ).fetchall()
    return frozenset(row[0] for row in rows)


def stale_raw_tables(con: duckdb.DuckDBPyConnection, run_id: str) -> frozenset[str]:
    """Raw tables a new file of which could not be loaded in run ``run_id`` (they kept their rows)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'audit' and table_name = 'raw_load_errors'"
    ).fetchone()[0]
    if not exists:
        return frozenset()
    rows = con.execute("select distinct table_name from audit.raw_load_errors where run_id = ?", [run_id]).fetchall()
    return frozenset(row[0] for row in rows)


def missing_sources_note(
    upstream: frozenset[str], delivered: frozenset[str], rows: int | None = None, content: frozenset[str] | None = None
) -> dict[str, object]:
    """Metadata telling which sources of a model have no data (nothing when all have).

    ``note`` says why a model is empty: none of its sources was delivered, or it has no rows and
    sources it takes rows from (``content``: its lineage not counting identity resolution) were not.
    """
    missing = sorted(upstream - delivered)
    if not missing:
        return {}
    if not upstream & delivered:
        return {
            "sources_missing": missing,
            "note": f"empty: no data delivered for {', '.join(f'raw.{m}' for m in missing)}",
        }
    absent_content = sorted((content or frozenset()) - delivered)
    if rows == 0 and absent_content:
        return {
            "sources_missing": missing,
            "note": f"empty: no data delivered for {', '.join(f'raw.{m}' for m in absent_content)}",
        }
    return {"sources_missing": missing}
