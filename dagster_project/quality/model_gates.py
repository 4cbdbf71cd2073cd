"""Quality gates of the dbt layers: one blocking check per suite file.

``expectations/staging/<model>.json`` checks ``staging.<model>`` before the unified
customer layer runs; ``expectations/unified/<model>.json`` checks ``marts.<model>``
(the customer marts) before the KPI marts run; ``expectations/marts/<model>.json``
(generated from the marts' YAML by ``expectations/generate_marts_suites.py``) checks
every KPI mart before anything downstream of the marts runs; ``expectations/ml/<table>.json``
checks the tables the Python model assets write before the model marts read them.
"""

from dagster import AssetChecksDefinition, AssetKey

from dagster_project.quality.gates import build_gx_check
from dagster_project.settings import EXPECTATIONS_DIR

# suite folder -> (warehouse schema of its tables, what the gate protects)
MODEL_LAYERS = {
    "staging": ("staging", "the unified customer layer"),
    "unified": ("marts", "the KPI marts"),
    "marts": ("marts", "the assets downstream of the KPI marts"),
    "ml": ("ml", "the model marts (lead scores, sentiment, predictive CLV)"),
}


def model_checks() -> list[AssetChecksDefinition]:
    checks = []
    for layer, (schema, protects) in MODEL_LAYERS.items():
        for suite in sorted((EXPECTATIONS_DIR / layer).glob("*.json")):
            table = suite.stem
            checks.append(
                build_gx_check(
                    AssetKey([schema, table]),
                    layer,
                    schema,
                    table,
                    f"Great Expectations suite expectations/{layer}/{table}.json on {schema}.{table}."
                    f" Blocks {protects} when it fails; results in audit.data_quality_results.",
                )
            )
    return checks
