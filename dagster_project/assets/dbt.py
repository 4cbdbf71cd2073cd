"""dbt models as Dagster assets, one ``@dbt_assets`` definition per layer.

One ``dbt build`` cannot pause for a Python quality gate half-way, so each layer
is its own definition (``select="path:models/<layer>"``); the Great Expectations
checks of a layer sit between it and the next. dbt tests become asset checks
(severity error = blocking) by themselves.
"""


from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.dbt_project import dbt_project, ensure_dbt_manifest

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


def build_layer_assets(name: str, select: str, exclude: str | None = None) -> AssetsDefinition:
    """One dbt layer as a multi-asset: `dbt build` of the layer's models and their tests."""

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        select=select,
        exclude=exclude,
        name=name,
        dagster_dbt_translator=translator,
    )
    def _layer(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        yield from dbt.cli(LAYER_BUILD, context=context).stream()

    return _layer


# Staging: one renamed, typed, deduplicated model per raw table.
dbt_staging = build_layer_assets("dbt_staging", "path:models/staging")
# Unified customer: web sessions, identity graph and resolution, dim_customer, bridge, touchpoints.
dbt_unified_customer = build_layer_assets(
    "dbt_unified_customer",
    "path:models/intermediate/identity path:models/intermediate/web path:models/marts/customer",
)
# KPI marts (KPI_CATALOGUE.md), built after the unified-customer gate has passed.
# Folders of the model marts: built on the Python model assets (group models, schema ml).
MODEL_MART_PATHS = "path:models/marts/scoring path:models/marts/sentiment path:models/marts/predictive_clv"
dbt_kpi_marts = build_layer_assets(
    "dbt_kpi_marts", "path:models/marts path:models/intermediate/kpi", exclude=f"path:models/marts/customer {MODEL_MART_PATHS}"
)
# Model marts: lead scores, sentiment, predictive CLV, after the KPI marts' and the models' gates.
dbt_model_marts = build_layer_assets("dbt_model_marts", f"path:models/intermediate/scoring {MODEL_MART_PATHS}")
