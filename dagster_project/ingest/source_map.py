"""The README's "source -> marts it feeds" table, generated from the dbt sources and manifest.

    python -m dagster_project.ingest.source_map                 # markdown to stdout
    python -m dagster_project.ingest.source_map --write-readme  # refresh the table in README.md
    python -m dagster_project.ingest.source_map --check         # exit 1 when README.md is stale

For every raw table (a tool's export, or a channel's generic CSV): its landing folder, the files
it reads, the mart areas (folders of ``dbt/models/marts``) whose models read it, directly or
through other models but not through identity resolution, and whether it carries identifiers
(then it also shapes every customer-keyed mart). Lineage comes from dbt's manifest.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from dagster_project.ingest.raw_contract import raw_tables
from dagster_project.ingest.source_lineage import IDENTITY_MODELS
from dagster_project.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
BEGIN = "<!-- BEGIN GENERATED: python -m dagster_project.ingest.source_map --write-readme -->"
END = "<!-- END GENERATED: source map -->"


# The map lists what a source feeds without passing through identity resolution (every
# identifier-carrying source reaches every customer-keyed mart), and separately whether it feeds
# the identity graph.


def identity_sources(manifest_path: Path) -> frozenset[str]:
    from dagster_project.ingest.source_lineage import _upstream_by_model

    upstream = _upstream_by_model(manifest_path)
    return frozenset().union(*(upstream.get(m, frozenset()) for m in IDENTITY_MODELS))


def mart_areas_by_raw_table(manifest_path: Path) -> dict[str, dict[str, int]]:
    """raw table -> {mart area: number of models of that area reading it}, not counting the paths
    through identity resolution (every identifier-carrying source reaches every customer-keyed mart)."""
    from dagster_project.ingest.source_lineage import _upstream_by_model

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    upstream = _upstream_by_model(manifest_path, frozenset(IDENTITY_MODELS))
    areas: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        parts = Path(node["original_file_path"]).parts
        if len(parts) < 3 or parts[1] != "marts":
            continue
        for raw in upstream.get(node["name"], ()):
            areas[raw][parts[2]] += 1
    return {raw: dict(counts) for raw, counts in areas.items()}


def markdown(manifest_path: Path) -> str:
    areas = mart_areas_by_raw_table(manifest_path)
    identity = identity_sources(manifest_path)
    lines = [
        "| tool / format | landing folder (= raw table) | files read | mart areas it feeds (models) | identity |",
        "|---|---|---|---|---|",
    ]
    for table in sorted(raw_tables(), key=lambda t: (t.source, t.name)):
        files = (
            ", ".join(f"`{p}`" for p in table.file_patterns)
            or ", ".join(f"`*{s}`" for s in table.file_suffixes[:3]) + " ..."
        )
        fed = areas.get(table.name, {})
        feeds = ", ".join(f"{area} ({count})" for area, count in sorted(fed.items())) or "-"
        linked = "yes" if table.name in identity else "-"
        lines.append(f"| {table.source} | `{table.name}/` | {files} | {feeds} | {linked} |")
    return "\n".join(lines) + "\n"


def _readme_with(table: str) -> str:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"README.md has no generated source-map section ({BEGIN} ... {END})")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table}{END}{tail}"


def main(argv: list[str]) -> int:
    from dagster_project.dbt_project import dbt_project, ensure_dbt_manifest

    ensure_dbt_manifest()
    table = markdown(Path(dbt_project.manifest_path))
    if "--write-readme" in argv:
        README.write_text(_readme_with(table), encoding="utf-8")
        return 0
    if "--check" in argv:
        if README.read_text(encoding="utf-8") != _readme_with(table):
            print("README.md's source map is stale: python -m dagster_project.ingest.source_map --write-readme")
            return 1
        return 0
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
