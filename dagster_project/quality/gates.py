"""Great Expectations suites as blocking Dagster asset checks, for every layer.

Each check validates one table against ``expectations/<layer>/<table>.json``, records
every expectation's result in ``audit.data_quality_results`` and returns them as
check metadata. ``blocking=True``: a failure stops the assets downstream of the
table within the run.

Which rows are judged: a raw table's rows of every landing file the gate has not judged
yet (``dagster_project/quality/quarantine.py``: a file that fails on its own is quarantined
and the check fails with severity WARN, so the other files flow on; a failure no single file
explains blocks, severity ERROR); a staging table's rows loaded after the last ``_loaded_at``
it passed (``audit.gate_watermarks``), so rows a failed run left behind are judged again; other
tables in full.

Failed-expectation samples of columns classified personal (a raw column's ``meta.pii``, a
model's in the dbt manifest: :func:`personal_columns`) are keyed hashes, or withheld when
``CRM_PSEUDONYM_KEY`` is not set (``gx_validation.mask_personal_samples``); the gate never
fails for the missing key.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from dagster_project.analytics.ml_inputs import ML_TABLE_INPUT_MODELS
from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.source_lineage import delivered_raw_tables, upstream_raw_tables
from dagster_project.privacy.classification import PERSONAL_CLASSES, load_manifest, relation_columns, source_columns
from dagster_project.privacy.keyed_hash import PSEUDONYM_KEY_ENV, MissingSecretError, optional_secret
from dagster_project.quality import quarantine
from dagster_project.quality.gx_validation import (
    ExpectationOutcome,
    SuiteResult,
    load_suite,
    record_results,
    suite_path,
    table_columns,
    validate_table,
)
from dagster_project.resources import LandingFolder, WarehouseResource
from dagster_project.settings import DBT_PROJECT_DIR

# Expectations that describe a complete delivery of every source a table reads: skipped
# (and said so in the check's metadata) while some of those sources have no data yet.
COMPLETE_DELIVERY_EXPECTATIONS = (
    "expect_table_row_count_to_be_between",
    "expect_table_row_count_to_equal",
    "expect_column_mean_to_be_between",
)


logger = logging.getLogger(__name__)


@cache
def _manifest_classes(path: str, mtime_ns: int) -> dict[tuple[str, str], dict[str, str | None]]:
    manifest = load_manifest(Path(path))
    relations = {**source_columns(manifest), **relation_columns(manifest)}
    return {relation: {name: entry.pii for name, entry in columns.items()} for relation, columns in relations.items()}


def personal_columns(layer: str, schema: str, table: str, manifest_path: Path | None = None) -> frozenset[str]:
    """Columns of ``schema.table`` classified ``identifier``, ``name`` or ``free_text`` (lower-case):
    a raw table's from its dbt source (``RawColumn.privacy``), others from the dbt manifest."""
    if layer == "raw":
        try:
            contract = raw_table(table)
        except KeyError:
            return frozenset()
        return frozenset(
            column.name.lower()
            for column in contract.columns
            if column.privacy and column.privacy[0].pii in PERSONAL_CLASSES
        )
    if manifest_path is None:
        from dagster_project.dbt_project import dbt_project

        manifest_path = Path(dbt_project.manifest_path)
    if not manifest_path.is_file():
        return frozenset()
    classes = _manifest_classes(str(manifest_path), manifest_path.stat().st_mtime_ns).get((schema, table), {})
    return frozenset(name.lower() for name, pii in classes.items() if pii in PERSONAL_CLASSES)


def sample_key() -> bytes | None:
    """The pseudonym key for hashing personal samples; None (samples withheld) when it is not usable."""
    try:
        return optional_secret(PSEUDONYM_KEY_ENV, "hashing personal values in data quality samples")
    except MissingSecretError as exc:
        logger.warning("personal values in data quality samples are withheld: %s", exc)
        return None


def suite_parameters(landing: LandingFolder) -> dict[str, object]:
    """Suite parameters: the extract window (timestamps, local days, GA4 epoch microseconds) and the dbt vars
    suites use."""
    first_day, last_day = landing.extract_window()
    start = datetime.combine(first_day, time.min)
    end = datetime.combine(last_day + timedelta(days=1), time.min) - timedelta(microseconds=1)
    epoch = datetime(1970, 1, 1)
    return {
        "extract_start": pd.Timestamp(start),
        "extract_end": pd.Timestamp(end),
        "extract_start_date": pd.Timestamp(first_day),
        "extract_end_date": pd.Timestamp(last_day),
        "extract_start_us": (start - epoch) // timedelta(microseconds=1),
        "extract_end_us": (end - epoch) // timedelta(microseconds=1),
        "identity_max_component_size": dbt_vars()["identity_max_component_size"],
    }


@cache
def dbt_vars() -> dict[str, object]:
    """The project-level vars of dbt_project.yml (what dbt uses unless a run overrides them)."""
    document = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(document.get("vars") or {})


def _result_entry(outcome: ExpectationOutcome, key: tuple[str, ...]) -> dict[str, object]:
    """One expectation's result; a failed one with its sample values and where its first unexpected row is."""
    entry: dict[str, object] = {
        "expectation": outcome.expectation_type,
        "column": outcome.column,
        "success": outcome.success,
        "observed_value": outcome.observed_value,
        "unexpected_count": outcome.unexpected_count,
    }
    if not outcome.success:
        entry["partial_unexpected"] = outcome.partial_unexpected[:5]
        first = outcome.unexpected_rows[0] if outcome.unexpected_rows else {}
        if "_source_file" in first:
            entry["file"], entry["record"] = first["_source_file"], first.get("_source_row")
        keys = ", ".join(f"{k}={first[k]}" for k in key if k in first)
        if keys:
            entry["row_key"] = keys
    return entry


def check_metadata(result: SuiteResult, key: tuple[str, ...] = ()) -> dict[str, object]:
    failures = result.failures
    return {
        "suite": result.suite_name,
        "rows_validated": result.rows_validated,
        "expectations": len(result.outcomes),
        "failed_expectations": len(failures),
        "duration_s": round(result.duration_s, 3),
        "failures": MetadataValue.md(
            "\n".join(f"- {failure_message(o, key)}" for o in failures) if failures else "none"
        ),
        "results": MetadataValue.json([_result_entry(o, key) for o in result.outcomes]),
    }


WATERMARKS_TABLE = "audit.gate_watermarks"
LINEAGE_INDEX = ("_source_file", "_source_row")


def row_key_columns(layer: str, table: str) -> tuple[str, ...]:
    """The table's row key, as its suite declares it: the first uniqueness expectation, else the
    first required column that is not lineage (a raw table whose key may repeat across pulls)."""
    expectations = load_suite(layer, table).get("expectations", [])
    for expectation in expectations:
        kwargs = expectation.get("kwargs", {})
        if expectation["type"] == "expect_column_values_to_be_unique":
            return (kwargs["column"],)
        if expectation["type"] == "expect_compound_columns_to_be_unique":
            return tuple(kwargs["column_list"])
    for expectation in expectations:
        column = expectation.get("kwargs", {}).get("column")
        if expectation["type"] == "expect_column_values_to_not_be_null" and column and not column.startswith("_"):
            return (column,)
    return ()


def failure_message(outcome: ExpectationOutcome, key: tuple[str, ...]) -> str:
    """An expectation's failure with the file, record and row key of its first unexpected rows."""
    text = outcome.summary()
    located = []
    for row in outcome.unexpected_rows[:3]:
        where = f"{row['_source_file']} record {row.get('_source_row')}" if "_source_file" in row else "row"
        keys = ", ".join(f"{k}={row[k]}" for k in key if k in row)
        value = f": {outcome.column}={row[outcome.column]!r}" if outcome.column in row else ""
        located.append(where + (f" ({keys})" if keys else "") + value)
    if located:
        text += " at " + "; ".join(located)
    return text


@dataclass
class RawJudgement:
    """What the raw gate did with the files it had not judged yet."""

    result: SuiteResult
    files_judged: int
    quarantined: list[str] = field(default_factory=list)  # messages, one per quarantined file
    resolved: list[str] = field(default_factory=list)
    unexplained: bool = False  # a failure no single file explains: the gate blocks


def judge_raw_files(
    con: duckdb.DuckDBPyConnection,
    table: str,
    parameters: dict[str, object],
    run_id: str | None,
    landing_root,
    skip_types: tuple[str, ...] = (),
) -> RawJudgement:
    """Validate the rows of every file of ``raw.<table>`` not judged yet; quarantine the files that fail alone."""
    resolved = quarantine.reconcile(con, table, landing_root)
    pending = quarantine.pending_files(con, table)
    key = row_key_columns("raw", table)
    index = LINEAGE_INDEX + tuple(k for k in key if k not in LINEAGE_INDEX)
    personal, hash_key = personal_columns("raw", "raw", table), sample_key()

    def validate(where: str) -> SuiteResult:
        return validate_table(
            con,
            "raw",
            "raw",
            table,
            parameters,
            where=where,
            skip_types=skip_types,
            index_columns=index,
            personal_columns=personal,
            sample_key=hash_key,
        )

    result = validate(quarantine.stage_pending(con, [name for name, _ in pending]))
    record_results(con, result, run_id)
    judgement = RawJudgement(result=result, files_judged=len(pending), resolved=resolved)
    if result.success:
        quarantine.mark_validated(con, table, pending, run_id)
        return judgement
    remaining = list(pending)
    if len(pending) > 0 and all(
        o.success for o in result.outcomes if o.expectation_type.startswith("expect_table_columns")
    ):
        # files named by the unexpected rows first, then the others, each judged on its own rows
        named = [r.get("_source_file") for o in result.failures for r in o.unexpected_rows]
        order = sorted(
            pending, key=lambda f: (not any(n == f[0] or str(n).startswith(f[0] + "/") for n in named if n), f[0])
        )
        for file_name, checksum in order:
            if len(remaining) == 1 and judgement.quarantined == [] and file_name == remaining[0][0]:
                alone = result  # the only file: its rows are exactly what failed
            else:
                alone = validate(quarantine.single_file_predicate(file_name))
            if alone.success:
                continue
            record_results(con, alone, run_id, source_file=file_name)
            failures = [failure_message(o, key) for o in alone.failures]
            moved = quarantine.quarantine_file(con, table, file_name, checksum, failures, run_id)
            judgement.quarantined.append(f"raw.{table}: quarantined {file_name} ({moved} rows): " + "; ".join(failures))
            remaining = [f for f in remaining if f[0] != file_name]
            if remaining:
                rest = validate(quarantine.stage_pending(con, [name for name, _ in remaining]))
                if rest.success:
                    quarantine.mark_validated(con, table, remaining, run_id)
                    judgement.result = rest
                    return judgement
            else:
                judgement.result = alone
                return judgement
    judgement.unexplained = True
    return judgement


def _watermark(con: duckdb.DuckDBPyConnection, layer: str, table: str) -> object | None:
    con.execute("create schema if not exists audit")
    con.execute(
        f"create table if not exists {WATERMARKS_TABLE} (layer varchar, table_name varchar,"
        " validated_through timestamp,"
        " validated_at timestamp, run_id varchar)"
    )
    row = con.execute(
        f"select max(validated_through) from {WATERMARKS_TABLE} where layer = ? and table_name = ?", [layer, table]
    ).fetchone()
    return row[0] if row else None


def _advance_watermark(
    con: duckdb.DuckDBPyConnection, layer: str, schema: str, table: str, where: str | None, run_id: str | None
) -> None:
    through = con.execute(
        f"select max(_loaded_at) from {schema}.{table}" + (f" where {where}" if where else "")
    ).fetchone()[0]
    if through is not None:
        con.execute(
            f"insert into {WATERMARKS_TABLE} values (?, ?, ?, current_timestamp::timestamp, ?)",
            [layer, table, through, run_id],
        )


def build_gx_check(asset_key: AssetKey, layer: str, schema: str, table: str, description: str) -> AssetChecksDefinition:
    """A blocking check running suite ``expectations/<layer>/<table>.json`` on ``schema.table``.

    Raw tables are judged file by file (see the module docstring); other tables with a
    ``_loaded_at`` column on the rows after their watermark; others in full.
    """
    if not suite_path(layer, table).is_file():
        raise FileNotFoundError(f"no Great Expectations suite {suite_path(layer, table)} for {schema}.{table}")

    @asset_check(asset=asset_key, name=f"great_expectations_{layer}", blocking=True, description=description)
    def _gx_check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource, landing: LandingFolder
    ) -> AssetCheckResult:
        if layer == "raw":
            upstream = frozenset({table})
        elif layer == "ml":
            upstream = frozenset().union(*(upstream_raw_tables(m) for m in ML_TABLE_INPUT_MODELS.get(table, ())))
        else:
            upstream = upstream_raw_tables(table)
        run_id = context.op_execution_context.run_id
        with warehouse.get_connection() as con:
            delivered = delivered_raw_tables(con)
            if upstream and not upstream & delivered and not (layer == "raw" and quarantine.quarantined(con, table)):
                note = f"skipped: no data delivered for {', '.join(f'raw.{t}' for t in sorted(upstream))}"
                context.log.info(f"{schema}.{table}: {note}")
                return AssetCheckResult(
                    passed=True,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={"suite": f"{layer}.{table}", "skipped": note, "sources_missing": sorted(upstream)},
                )
            # With some sources missing, volume and plausibility expectations (row counts, means)
            # describe a complete delivery: they are left out rather than failed.
            partial = sorted(upstream - delivered)
            skip = COMPLETE_DELIVERY_EXPECTATIONS if partial else ()
            judgement = None
            if layer == "raw":
                judgement = judge_raw_files(con, table, suite_parameters(landing), run_id, landing.root, skip)
                result = judgement.result
                still_quarantined = [q.describe() for q in quarantine.quarantined(con, table)]
            else:
                batch = None
                if "_loaded_at" in table_columns(con, schema, table):
                    through = _watermark(con, layer, table)
                    if through is not None:
                        batch = f"_loaded_at > '{through.isoformat(sep=' ')}'::timestamp"
                result = validate_table(
                    con,
                    layer,
                    schema,
                    table,
                    suite_parameters(landing),
                    where=batch,
                    skip_types=skip,
                    index_columns=row_key_columns(layer, table),
                    personal_columns=personal_columns(layer, schema, table),
                    sample_key=sample_key(),
                )
                record_results(con, result, run_id)
                if result.success and "_loaded_at" in table_columns(con, schema, table):
                    _advance_watermark(con, layer, schema, table, batch, run_id)
        key = row_key_columns(layer, table)
        metadata = check_metadata(result, key)
        if partial:
            metadata["sources_missing"] = partial
            metadata["skipped_expectations"] = list(COMPLETE_DELIVERY_EXPECTATIONS)
        if judgement is not None:
            for message in judgement.resolved:
                context.log.info(message)
            metadata["files_judged"] = judgement.files_judged
            metadata["files_quarantined"] = MetadataValue.md(
                "\n".join(f"- {m}" for m in still_quarantined) if still_quarantined else "none"
            )
            if not judgement.unexplained:
                for message in judgement.quarantined:
                    context.log.error(message)
                if still_quarantined:
                    context.log.warning(
                        f"{schema}.{table}: {len(still_quarantined)} file(s) in quarantine, kept out of staging;"
                        f" see `crm-warehouse quarantine list`."
                    )
                return AssetCheckResult(
                    passed=not still_quarantined,
                    severity=AssetCheckSeverity.WARN,
                    metadata=metadata,
                    description="rows of quarantined files are kept out of staging" if still_quarantined else None,
                )
        for failure in result.failures:
            context.log.error(f"{schema}.{table}: {failure_message(failure, key)}")
        return AssetCheckResult(passed=result.success, severity=AssetCheckSeverity.ERROR, metadata=metadata)

    _gx_check.__name__ = f"check_{layer}_{table}"
    return _gx_check
