"""Benchmark: how well the lead score predicts conversion on a built warehouse.

Prints the ROC AUC of the score each lead had 0, 7, 14 and 30 days after its creation
against its later lead -> customer conversion and against the CRM deal being won
(leakage-free, see dagster_project/analytics/lead_score_evaluation.py). Needs a warehouse built by
``make run`` (or CRM_WAREHOUSE_PATH pointing at one). Not a test: figures, not assertions.
"""

from __future__ import annotations

import duckdb

from dagster_project.analytics.lead_score_evaluation import lead_score_auc
from dagster_project.settings import Settings


def main() -> None:
    settings = Settings.from_env()
    path = settings.warehouse_path  # the evaluation reads schemas ml and staging, not only marts
    with duckdb.connect(str(path), read_only=True) as con:
        print(f"warehouse: {path}")
        print(f"{'target':<10} {'days after lead':>15} {'leads':>7} {'positives':>9} {'AUC':>7}")
        for target in ("converted", "won"):
            for offset in (0, 7, 14, 30):
                result = lead_score_auc(con, offset, target)
                auc = f"{result.auc:.3f}" if result.auc is not None else "n/a"
                print(f"{target:<10} {offset:>15} {result.leads:>7} {result.positives:>9} {auc:>7}")


if __name__ == "__main__":
    main()
