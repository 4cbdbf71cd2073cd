"""Non-blocking checks on the models: does the lead score predict conversion, was the CLV model fitted.

lead_score_predicts_conversion (on marts.mart_lead_scores):

ROC AUC of the score a lead had 0, 14 and 30 days after its creation against its later
lead -> customer conversion and against the CRM deal being won (leakage-free: see
dagster_project/analytics/lead_score_evaluation.py). Warns when the 14-day AUC for conversion is not
above 0.5; the figures plot in the UI as check metadata.

clv_model_fitted (on ml.customer_clv_predictions): warns when the data held too few customers
or repeat customers to fit BG/NBD + Gamma-Gamma, so the predictions are empty (the reason is
in the asset's metadata and in ml.clv_model_fits). Passes, saying so, when no orders were delivered at all.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from dagster_project.analytics.lead_score_evaluation import lead_score_auc
from dagster_project.resources import WarehouseResource

OFFSETS_DAYS = (0, 14, 30)


@asset_check(
    asset=AssetKey(["marts", "mart_lead_scores"]),
    name="lead_score_predicts_conversion",
    blocking=False,
    description="ROC AUC of the lead score (0, 14, 30 days after the lead) against later conversion and won deals; "
    "warns when the 14-day AUC for conversion is not above 0.5.",
)
def lead_score_predicts_conversion(warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.get_connection() as con:
        results = [lead_score_auc(con, offset, target) for target in ("converted", "won") for offset in OFFSETS_DAYS]
    headline = next(r for r in results if r.target == "converted" and r.offset_days == 14)
    metadata: dict[str, object] = {
        f"auc_{r.target}_{r.offset_days}d": MetadataValue.float(round(r.auc, 4)) if r.auc is not None else "n/a"
        for r in results
    }
    metadata["leads_evaluated_14d"] = headline.leads
    metadata["conversions_14d"] = headline.positives
    passed = headline.auc is None or headline.auc > 0.5
    return AssetCheckResult(passed=passed, severity=AssetCheckSeverity.WARN, metadata=metadata)


@asset_check(
    asset=AssetKey(["ml", "customer_clv_predictions"]),
    name="clv_model_fitted",
    blocking=False,
    description="Warns when predictive CLV could not be fitted for lack of data (predictions empty).",
)
def clv_model_fitted(warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.get_connection() as con:
        rows = con.execute("select count(*) from ml.customer_clv_predictions").fetchone()[0]
        status = con.execute("select fit_status from ml.clv_model_fits order by fitted_at desc limit 1").fetchone()
        orders = con.execute("select count(*) from marts.fct_order").fetchone()[0]
    metadata: dict[str, object] = {"predictions": rows, "fit_status": status[0] if status else "never fitted"}
    if orders == 0:  # no shop delivered: nothing to predict, not a shortage of data
        metadata["note"] = "not applicable: no orders delivered"
    return AssetCheckResult(passed=rows > 0 or orders == 0, severity=AssetCheckSeverity.WARN, metadata=metadata)


def model_checks() -> list:
    return [lead_score_predicts_conversion, clv_model_fitted]
