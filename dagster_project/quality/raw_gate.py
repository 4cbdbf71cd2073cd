"""The raw quality gate: each raw table's suite as a blocking asset check."""

from dagster import AssetChecksDefinition

from dagster_project.assets.raw import raw_asset_key
from dagster_project.ingest.raw_contract import RAW_SCHEMA, raw_tables
from dagster_project.quality.gates import build_gx_check


def raw_checks() -> list[AssetChecksDefinition]:
    return [
        build_gx_check(
            raw_asset_key(table),
            "raw",
            RAW_SCHEMA,
            table.name,
            f"Great Expectations suite expectations/raw/{table.name}.json"
            " over the rows of every landing file it has not judged yet"
            " (columns and types, keys, domains, extract window, duplicates). A file failing"
            " on its own is quarantined (WARN),"
            " a failure no file explains blocks staging;"
            " every result is kept in audit.data_quality_results.",
        )
        for table in raw_tables()
    ]
