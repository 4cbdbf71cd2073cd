"""The raw-layer contract, read from the dbt source YAML files.

Each raw table is declared once, in ``dbt/models/staging/<source>/_<source>__sources.yml``:
its columns, their DuckDB types and descriptions. The loader, the quality gate and
the dbt sources all read that one declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from dagster_project.settings import DBT_PROJECT_DIR

RAW_SCHEMA = "raw"


@dataclass(frozen=True)
class RawColumn:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class RawTable:
    """One raw table: ``raw.<name>``, loaded from ``<landing>/<name>/``."""

    source: str
    table: str
    name: str
    description: str
    landing_format: str  # "csv" (gzip or plain) or "ndjson"
    columns: tuple[RawColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def qualified_name(self) -> str:
        return f"{RAW_SCHEMA}.{self.name}"

    @property
    def file_suffixes(self) -> tuple[str, ...]:
        if self.landing_format == "ndjson":
            return (".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz")
        return (".csv", ".csv.gz")


def _table_from_yaml(source: dict, table: dict) -> RawTable:
    meta = (table.get("config") or {}).get("meta") or {}
    return RawTable(
        source=source["name"],
        table=table["name"],
        name=table.get("identifier", table["name"]),
        description=table.get("description", ""),
        landing_format=meta.get("landing_format", "csv"),
        columns=tuple(
            RawColumn(c["name"], c["data_type"], c.get("description", "")) for c in table["columns"]
        ),
    )


@cache
def raw_tables(dbt_project_dir: Path = DBT_PROJECT_DIR) -> tuple[RawTable, ...]:
    """All raw tables declared in the dbt sources, sorted by name."""
    tables: list[RawTable] = []
    for path in sorted((dbt_project_dir / "models" / "staging").glob("*/_*__sources.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in document.get("sources", []):
            if source.get("schema") != RAW_SCHEMA:
                continue
            tables.extend(_table_from_yaml(source, table) for table in source.get("tables", []))
    names = [t.name for t in tables]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"raw tables declared twice in the dbt sources: {duplicated}")
    return tuple(sorted(tables, key=lambda t: t.name))


def raw_table(name: str) -> RawTable:
    for table in raw_tables():
        if table.name == name:
            return table
    raise KeyError(f"no raw table named {name!r} in the dbt sources")
