"""dbt models as Dagster assets, one ``@dbt_assets`` definition per layer.

One ``dbt build`` cannot pause for a Python quality gate half-way, so each layer
is its own definition (``select="path:models/<layer>"``); the Great Expectations
checks of a layer sit between it and the next. dbt tests become asset checks
(severity error = blocking) by themselves.
"""

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, Backoff, Config, Output, RetryPolicy
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from pydantic import Field, field_validator

from dagster_project.dbt_project import dbt_project, ensure_dbt_manifest
from dagster_project.ingest.source_lineage import (
    content_raw_tables,
    delivered_raw_tables,
    missing_sources_note,
    stale_raw_tables,
    upstream_raw_tables,
)
from dagster_project.resources import WarehouseResource

ensure_dbt_manifest()


class LayeredDbtTranslator(DagsterDbtTranslator):
    """Models keyed ``[<schema>, <model>]`` and grouped by their folder under models/."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props["fqn"][1]
            return AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "model":
            return dbt_resource_props["fqn"][1]
        return super().get_group_name(dbt_resource_props)


translator = LayeredDbtTranslator()

# A test whose parents span layers (a relationship from a mart to a staging model, a
# reconciliation) must run with the later layer: "buildable" runs a test only when all
# its parents are selected or upstream of the selection (dbt's default "eager" would run
# it with the first layer, before the mart exists).
LAYER_BUILD = ["build", "--indirect-selection", "buildable"]


# Transient failures (a killed dbt subprocess, a file briefly locked) are retried; a failing
# test or gate is not an exception and is never retried.
LAYER_RETRY_POLICY = RetryPolicy(max_retries=2, delay=5, backoff=Backoff.EXPONENTIAL)

# Headline numbers of the KPI marts, attached to their materializations so their history
# plots in the UI: the latest complete period's figures.
HEADLINES: dict[tuple[str, str], str] = {
    ("marts", "mart_commerce_kpis_daily"): "select period_start_date, net_revenue_eur, orders, average_order_value_eur"
    " from marts.mart_commerce_kpis_daily order by period_start_date desc limit 1",
    ("marts", "mart_web_kpis_daily"): "select period_start_date, sessions, users, conversion_rate, bounce_rate"
    " from marts.mart_web_kpis_daily order by period_start_date desc limit 1",
    ("marts", "mart_email_kpis_monthly"): "select period_start_date, sum(sent) as sent,"
    " sum(unique_opens) / nullif(sum(sent), 0) as open_rate, sum(unique_clicks) / nullif(sum(sent), 0)"
    " as click_through_rate"
    " from marts.mart_email_kpis_monthly where channel <> 'sms' group by 1 order by 1 desc limit 1",
    ("marts", "mart_nps_monthly"): "select period_start_date, nps, responses from marts.mart_nps_monthly"
    " where segment_type = 'all' order by period_start_date desc limit 1",
    ("marts", "mart_cac_monthly"): "select period_start_date, cac_eur, marketing_spend_eur, new_customers"
    " from marts.mart_cac_monthly where acquisition_channel = 'all' order by period_start_date desc limit 1",
}


class DbtLayerConfig(Config):
    full_refresh: bool = Field(
        default=False,
        description="Rebuild incremental models from scratch (dbt --full-refresh); the job full_refresh sets it.",
    )
    lookback_days: int | None = Field(
        default=None,
        ge=0,
        description="Rebuild the last N days of the incremental event models (dbt var incremental_lookback_days, "
        "default 3), besides what was loaded since their last build; the job reprocess_recent_days sets it.",
    )
    reprocess_since: str | None = Field(
        default=None,
        description="Also rebuild the incremental event models' days from this date (YYYY-MM-DD) on "
        "(dbt var incremental_reprocess_since): backfill a date range from the Launchpad.",
    )

    @field_validator("reprocess_since")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError as error:
            raise ValueError(f"reprocess_since must be a date as YYYY-MM-DD, got {value!r}") from error

    def dbt_args(self) -> list[str]:
        args = [*LAYER_BUILD, "--full-refresh"] if self.full_refresh else list(LAYER_BUILD)
        dbt_vars: dict[str, Any] = {}
        if self.lookback_days is not None:
            dbt_vars["incremental_lookback_days"] = self.lookback_days
        if self.reprocess_since is not None:
            dbt_vars["incremental_reprocess_since"] = self.reprocess_since
        if dbt_vars:
            args += ["--vars", json.dumps(dbt_vars)]
        return args


def _materialization_metadata(
    warehouse: WarehouseResource, keys: list[AssetKey], run_id: str
) -> dict[AssetKey, dict[str, Any]]:
    """Row count of every model table of the layer, the headline numbers of the KPI marts, and
    which of a model's sources have no data (``sources_missing``, with a ``note`` when none has)
    or kept their previous rows because this run could not load a new file (``stale_sources``)."""
    metadata: dict[AssetKey, dict[str, Any]] = {}
    with warehouse.get_connection() as con:
        delivered = delivered_raw_tables(con)
        stale = stale_raw_tables(con, run_id)
        existing = {
            (schema, name)
            for schema, name in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        }
        for key in keys:
            schema, name = key.path[0], key.path[-1]
            if (schema, name) not in existing:
                continue
            rows = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            entry: dict[str, Any] = {"dagster/row_count": rows}
            upstream = upstream_raw_tables(name)
            entry.update(missing_sources_note(upstream, delivered, rows, content_raw_tables(name)))
            if upstream & stale:
                entry["stale_sources"] = sorted(upstream & stale)
            if (schema, name) in HEADLINES:
                cursor = con.execute(HEADLINES[(schema, name)])
                row = cursor.fetchone()
                if row is not None:
                    for column, value in zip([d[0] for d in cursor.description], row, strict=False):
                        label = "period" if column == "period_start_date" else f"headline/{column}"
                        entry[label] = (
                            str(value)
                            if column == "period_start_date"
                            else (float(value) if value is not None else None)
                        )
            metadata[key] = {k: v for k, v in entry.items() if v is not None}
    return metadata


def keep_partial_parse(invocation_target: Path) -> None:
    """Make the next layer's dbt start from this invocation's parse.

    dagster-dbt runs every invocation in its own target folder and seeds it with
    ``<project>/target/partial_parse.msgpack``; dbt discards that file when the profile
    differs (the warehouse path is part of it), so without this each layer would parse the
    whole project again (about 8 s each on 2 cores).
    """
    produced = invocation_target / "partial_parse.msgpack"
    if not produced.is_file():
        return
    project_target = Path(dbt_project.project_dir) / dbt_project.target_path
    project_target.mkdir(parents=True, exist_ok=True)
    staging = project_target / f".partial_parse.{uuid.uuid4().hex}.tmp"
    shutil.copyfile(produced, staging)
    os.replace(staging, project_target / "partial_parse.msgpack")


def collect_events(invocation: Any, grace_s: float = 30.0) -> list[Any]:
    """Every event of a dbt invocation; if reading them fails while dbt still runs (an event
    dagster-dbt cannot map, an interrupt), dbt is stopped before the error goes on, so the
    step's retry does not meet it holding the warehouse file."""
    try:
        return list(invocation.stream())
    except BaseException:
        process = getattr(invocation, "process", None)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        raise


def build_layer_assets(name: str, select: str, exclude: str | None = None) -> AssetsDefinition:
    """One dbt layer as a multi-asset: `dbt build` of the layer's models and their tests.

    Events are passed on once dbt has finished and released the warehouse file, with each
    model's row count (and the KPI marts' headline numbers) added to its materialization.
    """

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        select=select,
        exclude=exclude,
        name=name,
        dagster_dbt_translator=translator,
        retry_policy=LAYER_RETRY_POLICY,
    )
    def _layer(
        context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtLayerConfig
    ) -> Iterator[Any]:
        invocation = dbt.cli(config.dbt_args(), context=context)
        events = collect_events(invocation)
        keep_partial_parse(invocation.target_path)
        outputs = [event for event in events if isinstance(event, Output)]
        metadata = _materialization_metadata(
            warehouse, [context.asset_key_for_output(o.output_name) for o in outputs], context.run_id
        )
        for event in events:
            if isinstance(event, Output):
                extra = metadata.get(context.asset_key_for_output(event.output_name))
                if extra:
                    event = event.with_metadata({**event.metadata, **extra})
            yield event

    return _layer


# Staging: one renamed, typed, deduplicated model per raw table, and the conformed models that
# put each channel's tools in one shape (models/intermediate/conformed).
dbt_staging = build_layer_assets("dbt_staging", "path:models/staging path:models/intermediate/conformed")
# Unified customer: web sessions, email activity, the touchpoint spine, identity graph and
# resolution, new vs legacy customers (intermediate/acquisition), dim_customer, bridge, touchpoints.
dbt_unified_customer = build_layer_assets(
    "dbt_unified_customer",
    "path:models/intermediate/identity path:models/intermediate/web path:models/intermediate/email"
    " path:models/intermediate/touchpoints path:models/intermediate/acquisition path:models/marts/customer",
)
# KPI marts (docs/kpi_reference.md), built after the unified-customer gate has passed, with the
# business-rule seeds (dbt/seeds: persona and RFM rules) and the persona models they feed.
# Folders of the model marts: built on the Python model assets (group models, schema ml).
MODEL_MART_PATHS = "path:models/marts/scoring path:models/marts/sentiment path:models/marts/predictive_clv"
dbt_kpi_marts = build_layer_assets(
    "dbt_kpi_marts",
    "path:seeds path:models/marts path:models/intermediate/kpi",
    exclude=f"path:models/marts/customer {MODEL_MART_PATHS}",
)
# Model marts: lead scores, sentiment, predictive CLV, after the KPI marts' and the models' gates.
dbt_model_marts = build_layer_assets("dbt_model_marts", MODEL_MART_PATHS)
