"""The raw-layer contract, read from the dbt source YAML files.

Each raw table is declared once, in ``dbt/models/staging/<tool>/_<tool>__sources.yml``: its
columns with their DuckDB types and descriptions, and under ``config.meta.landing`` how the
tool writes its export files. The loader, the quality gates, the suite generator and the dbt
sources all read that one declaration.

A table's ``config.meta.landing`` (every key optional)::

    formats: [csv, json, parquet]     # readers accepted, chosen by file extension (default [csv])
    files: ["orders_export*.csv"]     # fnmatch patterns on the file name (default: every file
                                      # with an extension of the accepted formats)
    file_name_pattern: '^(?P<export_table>events(_intraday)?_\\d{8})'
                                      # regex on the file name; named groups fill the columns
                                      # whose meta says ``from: file_name``
    encoding: utf-8                   # of text files (utf-8 with or without BOM by default);
                                      # env CRM_LANDING_ENCODING_<TABLE> overrides it
    csv:
      delimiter: ","                  # default: detected from the header line (, ; tab)
      null_values: ["--"]             # besides the empty field
      drop_rows: {column: day, matches: '^Total'}   # summary rows of UI reports
      number_format: "1,234.56"       # thousands/decimal separators of every numeric column
    json:
      records: emails                 # the records are the array under this key of each object

A column's ``config.meta`` (every key optional)::

    header: ["Amount spent \\((?P<currency>[A-Z]{3})\\)"]   # header regexes (default: the
                                      # header whose snake-case form is the column name);
                                      # named groups fill ``from: header`` columns
    optional: true                    # may be absent from a file (loaded as null)
    required: true                    # JSON / Parquet: present and non-null on every record
    format: ["%Y-%m-%d %H:%M:%S %z"]  # strptime formats of a date / timestamp text column,
                                      # or "percent" / "1,234.56" for a number
    from: file_name | header          # filled from the file name or a header capture group
    quality: {...}                    # raw-gate rules, see expectations/generate_suites.py
    pii: identifier                   # personal data class (+ identifier_type, pii_fields), see
                                      # dagster_project/privacy/classification.py
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dagster_project.privacy.classification import ColumnPii, classify
from dagster_project.settings import DBT_PROJECT_DIR

RAW_SCHEMA = "raw"
FORMAT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "csv": (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz"),
    "json": (".json", ".json.gz", ".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz"),
    "parquet": (".parquet",),
}
ARCHIVE_EXTENSIONS = (".zip",)
_SNAKE = re.compile(r"[^0-9a-z]+")


def snake_case(header: str) -> str:
    """``"Lineitem quantity"`` -> ``lineitem_quantity``; ``"Amount spent (EUR)"`` -> ``amount_spent_eur``."""
    return _SNAKE.sub("_", header.strip().lower()).strip("_")


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class RawColumn:
    name: str
    data_type: str
    description: str
    optional: bool = False
    required: bool = False
    headers: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    origin: str = "file"  # file (a field of the records), file_name or header
    quality: Any = field(default_factory=dict, compare=False, hash=False)  # a mapping or a list of them
    # meta.pii of the column, then of its struct fields (dagster_project/privacy/classification.py)
    privacy: tuple[ColumnPii, ...] = field(default=(), compare=False, hash=False)

    @property
    def is_nested(self) -> bool:
        kind = self.data_type.strip().lower()
        return kind.endswith("]") or kind.startswith(("struct", "map"))

    def matches_header(self, header: str) -> re.Match[str] | None:
        """A match of one of this column's header regexes (or of its snake-case name)."""
        for pattern in self.headers:
            match = re.fullmatch(pattern, header.strip())
            if match:
                return match
        if not self.headers and snake_case(header) == self.name:
            return re.fullmatch(re.escape(header.strip()), header.strip())
        return None


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str | None = None
    null_values: tuple[str, ...] = ()
    drop_rows_column: str | None = None
    drop_rows_matching: str | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class RawTable:
    """One raw table: ``raw.<name>``, loaded from the files of ``<landing>/<name>/``."""

    source: str
    table: str
    name: str
    description: str
    columns: tuple[RawColumn, ...]
    formats: tuple[str, ...] = ("csv",)
    file_patterns: tuple[str, ...] = ()
    file_name_pattern: str | None = None
    encoding: str = "utf-8"
    csv: CsvOptions = CsvOptions()
    json_records: str | None = None
    quality: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def file_columns(self) -> list[RawColumn]:
        """Columns read from the records of a file (not from its name or header)."""
        return [c for c in self.columns if c.origin == "file"]

    @property
    def qualified_name(self) -> str:
        return f"{RAW_SCHEMA}.{self.name}"

    @property
    def file_suffixes(self) -> tuple[str, ...]:
        return tuple(s for f in self.formats for s in FORMAT_EXTENSIONS[f]) + ARCHIVE_EXTENSIONS

    @property
    def landing_format(self) -> str:
        return "/".join(self.formats)


def _column_from_yaml(column: dict[str, Any]) -> RawColumn:
    meta = dict(column.get("meta") or {})
    meta.update((column.get("config") or {}).get("meta") or {})
    return RawColumn(
        name=column["name"],
        data_type=column["data_type"],
        description=column.get("description", ""),
        optional=bool(meta.get("optional", False)),
        required=bool(meta.get("required", False)),
        headers=_as_list(meta.get("header")),
        formats=_as_list(meta.get("format")),
        origin=str(meta.get("from", "file")),
        quality=meta.get("quality") or {},
        privacy=tuple(classify(column["name"], meta)),
    )


def _table_from_yaml(source: dict[str, Any], table: dict[str, Any]) -> RawTable:
    meta = (table.get("config") or {}).get("meta") or {}
    landing = meta.get("landing") or {}
    csv_options = landing.get("csv") or {}
    drop = csv_options.get("drop_rows") or {}
    formats = _as_list(landing.get("formats")) or (("json",) if meta.get("landing_format") == "ndjson" else ("csv",))
    unknown = [f for f in formats if f not in FORMAT_EXTENSIONS]
    if unknown:
        raise ValueError(f"source {source['name']}.{table['name']}: unknown landing format(s) {unknown}")
    raw = RawTable(
        source=source["name"],
        table=table["name"],
        name=table.get("identifier", table["name"]),
        description=table.get("description", ""),
        columns=tuple(_column_from_yaml(c) for c in table["columns"]),
        formats=formats,
        file_patterns=_as_list(landing.get("files")),
        file_name_pattern=landing.get("file_name_pattern"),
        encoding=str(landing.get("encoding", "utf-8")),
        csv=CsvOptions(
            delimiter=csv_options.get("delimiter"),
            null_values=_as_list(csv_options.get("null_values")),
            drop_rows_column=drop.get("column"),
            drop_rows_matching=drop.get("matches"),
            number_format=csv_options.get("number_format"),
        ),
        json_records=(landing.get("json") or {}).get("records"),
        quality=dict(meta.get("quality") or {}),
    )
    file_name_columns = [c.name for c in raw.columns if c.origin == "file_name"]
    if file_name_columns:
        groups = set(re.compile(raw.file_name_pattern or "").groupindex)
        missing = [c for c in file_name_columns if c not in groups]
        if missing:
            raise ValueError(
                f"raw.{raw.name}: columns {missing} come from the file name, but file_name_pattern has no such group"
            )
    return raw


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
