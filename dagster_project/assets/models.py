"""Group ``models``: Python assets between the KPI marts and the model marts.

They write schema ``ml`` of the warehouse; the dbt models of ``models/marts/scoring``,
``sentiment`` and ``predictive_clv`` read it as the dbt source ``ml`` (so every Python
asset sits in the lineage between the dbt layers), and each table has its own blocking
Great Expectations check (``expectations/ml/``).
"""

import time
from datetime import UTC, datetime

import duckdb
import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Config,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
    multi_asset,
)
from pydantic import Field

from dagster_project.analytics.lead_scoring_rules import RULES_PATH, load_rules
from dagster_project.analytics.ml_inputs import CLV_INPUT_MODELS, TEXT_SOURCES
from dagster_project.analytics.predictive_clv import ClvConfig, InsufficientDataError, fit_and_predict, summarize_orders
from dagster_project.analytics.sentiment import MODEL_VERSION, get_analyzer
from dagster_project.resources import WarehouseResource

MODELS_GROUP = "models"


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, select: str = "*") -> int:
    """Create or replace ``ml.<table>`` from a frame, in the caller's transaction."""
    con.execute("create schema if not exists ml")
    con.register("_frame", frame)
    try:
        con.execute(f"create or replace table ml.{table} as select {select} from _frame")
    finally:
        con.unregister("_frame")
    return len(frame)


# --- lead scoring rules ---------------------------------------------------------------

RULE_TABLES = ("lead_scoring_actions", "lead_grading_criteria", "lead_scoring_parameters")


@multi_asset(
    specs=[
        AssetSpec(
            AssetKey(["ml", table]),
            group_name=MODELS_GROUP,
            kinds={"duckdb", "python"},
            description=f"Lead scoring configuration (dagster_project/config/lead_scoring.yml) as table ml.{table}.",
        )
        for table in RULE_TABLES
    ],
)
def lead_scoring_rules(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Validate the versioned rules file and load it into schema ml (one transaction)."""
    rules = load_rules()
    frames = {
        "lead_scoring_actions": rules.actions,
        "lead_grading_criteria": rules.criteria,
        "lead_scoring_parameters": rules.parameters,
    }
    with warehouse.get_connection() as con:
        con.execute("begin")
        counts = {table: replace_table(con, table, frame) for table, frame in frames.items()}
        con.execute("commit")
    context.log.info(f"lead scoring rules {rules.version} from {RULES_PATH.name}: {counts}")
    for table in RULE_TABLES:
        yield MaterializeResult(
            asset_key=AssetKey(["ml", table]),
            metadata={
                "rules_version": rules.version,
                "dagster/row_count": counts[table],
                "rules_file": str(RULES_PATH.name),
            },
        )


# --- predictive CLV ---------------------------------------------------------------------

PREDICTION_DTYPES = {
    "customer_id": "object",
    "frequency": "int64",
    "recency": "float64",
    "T": "float64",
    "monetary_value": "float64",
    "expected_purchases": "float64",
    "probability_alive": "float64",
    "expected_average_order_value": "float64",
    "expected_clv": "float64",
}


class PredictiveClvConfig(Config):
    horizon_months: int = Field(default=12, description="Prediction horizon in months.")
    annual_discount_rate: float = Field(default=0.10, description="Annual discount rate of future purchases.")
    penalizer_coef: float = Field(default=0.0, description="lifetimes L2 penalizer (0 = maximum likelihood).")


@asset(
    key=AssetKey(["ml", "customer_clv_predictions"]),
    group_name=MODELS_GROUP,
    retry_policy=RetryPolicy(max_retries=2, delay=5),
    kinds={"duckdb", "python"},
    deps=[AssetKey([schema, model]) for schema, model in CLV_INPUT_MODELS],
    description=(
        "Predictive CLV per customer: BG/NBD (purchase frequency, probability alive) and Gamma-Gamma (spend) "
        "fitted on every run on the orders in the warehouse (lifetimes), purchases counted per customer-day, "
        "times in weeks, observation end = last observed day. Fit parameters go to ml.clv_model_fits."
    ),
)
def customer_clv_predictions(
    context: AssetExecutionContext, config: PredictiveClvConfig, warehouse: WarehouseResource
) -> MaterializeResult:
    started = time.perf_counter()
    with warehouse.get_connection() as con:
        orders = con.execute(
            "select customer_id, order_date_local, net_revenue_eur from marts.fct_order where not is_cancelled"
        ).df()
        observation_end = con.execute(
            "select max(observation_end_date) from intermediate.int_kpi__calendar_days"
        ).fetchone()[0]
    clv_config = ClvConfig(
        horizon_months=config.horizon_months,
        annual_discount_rate=config.annual_discount_rate,
        penalizer_coef=config.penalizer_coef,
    )
    summary = summarize_orders(orders, observation_end, date_col="order_date_local", value_col="net_revenue_eur")
    fitted_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        fit, predictions = fit_and_predict(summary, clv_config)
        fit_metadata: dict[str, object] = {"fit_status": "fitted", **fit.as_metadata()}
        frame = predictions.reset_index().rename(columns={predictions.index.name or "index": "customer_id"})
    except InsufficientDataError as shortage:
        # Not an error of the data: a young or small shop cannot support the model yet. The
        # predictions stay empty, the reason is recorded, and check clv_model_fitted warns.
        context.log.warning(f"predictive CLV not fitted: {shortage.shortfall}")
        fit_metadata = {"fit_status": f"not fitted: {shortage.shortfall}"}
        frame = pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in PREDICTION_DTYPES.items()})
    frame["observation_end_date"] = pd.Timestamp(observation_end)
    frame["horizon_months"] = config.horizon_months
    frame["annual_discount_rate"] = config.annual_discount_rate
    frame["fitted_at"] = fitted_at
    fits = pd.DataFrame([{"fitted_at": fitted_at, "run_id": context.run_id, **fit_metadata}])
    with warehouse.get_connection() as con:
        con.execute("begin")
        rows = replace_table(
            con,
            "customer_clv_predictions",
            frame,
            select="""cast(customer_id as varchar) as customer_id, cast(frequency as integer) as repeat_purchases,
                      cast(recency as double) as recency_weeks, cast(T as double) as age_weeks,
                      cast(monetary_value as double) as repeat_purchase_value_eur,
                      cast(expected_purchases as double) as expected_purchases,
                      cast(probability_alive as double) as probability_alive,
                      cast(expected_average_order_value as double) as expected_order_value_eur,
                      cast(expected_clv as double) as predicted_clv_eur, cast(observation_end_date as date)
                          as observation_end_date,
                      cast(horizon_months as integer) as horizon_months, cast(annual_discount_rate as double)
                          as annual_discount_rate,
                      cast(fitted_at as timestamp) as fitted_at""",
        )
        con.register("_fits", fits)
        con.execute(
            "create table if not exists ml.clv_model_fits (fitted_at timestamp, run_id varchar, fit_status varchar)"
        )
        for column in fits.columns:  # one column per fit figure; figures appear as the model changes
            numeric = pd.api.types.is_numeric_dtype(fits[column]) and not pd.api.types.is_bool_dtype(fits[column])
            kind = "timestamp" if column == "fitted_at" else "double" if numeric else "varchar"
            con.execute(f'alter table ml.clv_model_fits add column if not exists "{column}" {kind}')
        con.execute("insert into ml.clv_model_fits by name select * from _fits")
        con.unregister("_fits")
        con.execute("commit")
    metadata = {
        "dagster/row_count": rows,
        "duration_s": round(time.perf_counter() - started, 3),
        "mean_probability_alive": round(float(frame["probability_alive"].mean()), 4) if rows else "n/a",
        "mean_predicted_clv_eur": round(float(frame["expected_clv"].mean()), 2) if rows else "n/a",
        **{key: (round(value, 6) if isinstance(value, float) else value) for key, value in fit_metadata.items()},
    }
    return MaterializeResult(metadata=metadata)


# --- sentiment --------------------------------------------------------------------------


@asset(
    key=AssetKey(["ml", "text_sentiment"]),
    group_name=MODELS_GROUP,
    retry_policy=RetryPolicy(max_retries=2, delay=5),
    kinds={"duckdb", "python"},
    deps=[AssetKey(["intermediate", model]) for model, *_ in TEXT_SOURCES.values()],
    description=(
        "Language (it/en), sentiment label (positive/neutral/negative) and score (-1..1) of every social comment, "
        "brand mention, product review (title + body) and NPS verbatim (dagster_project/analytics/sentiment: "
        "lingua detection, lexicon-informed logistic regression trained on texts shipped in the repository; "
        "offline). Texts already scored by the same model version are not scored again."
    ),
)
def text_sentiment(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    started = time.perf_counter()
    union = " union all ".join(
        f"select '{kind}' as text_kind, cast({id_column} as varchar) as text_id, {text} as text, "
        f"cast({hint} as varchar) as language_hint from intermediate.{model}"
        for kind, (model, id_column, text, hint) in TEXT_SOURCES.items()
    )
    with warehouse.get_connection() as con:
        texts = con.execute(
            f"select *, md5(coalesce(text, '')) as text_hash from ({union}) where text is not null"
        ).df()
        previous = pd.DataFrame(columns=["text_kind", "text_id", "text_hash"])
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'ml' and table_name = 'text_sentiment'"
        ).fetchone()[0]
        if exists:
            previous = con.execute(
                "select text_kind, text_id, text_hash, language, sentiment_label, sentiment_score "
                "from ml.text_sentiment where model_version = ?",
                [MODEL_VERSION],
            ).df()
    known = texts.merge(previous, on=["text_kind", "text_id", "text_hash"], how="left", indicator=True)
    todo = known["_merge"] == "left_only"
    analyzer = get_analyzer()
    results = analyzer.analyze(known.loc[todo, "text"].tolist(), known.loc[todo, "language_hint"].tolist())
    known.loc[todo, "language"] = [r.language for r in results]
    known.loc[todo, "sentiment_label"] = [r.label for r in results]
    known.loc[todo, "sentiment_score"] = [r.score for r in results]
    known["model_version"] = MODEL_VERSION
    known["scored_at"] = datetime.now(UTC).replace(tzinfo=None)
    with warehouse.get_connection() as con:
        con.execute("begin")
        rows = replace_table(
            con,
            "text_sentiment",
            known,
            # every column cast: an empty frame's object columns would otherwise be typed NULL
            select="""cast(text_kind as varchar) as text_kind, cast(text_id as varchar) as text_id,
                      cast(text_hash as varchar) as text_hash, cast(language as varchar) as language,
                      cast(sentiment_label as varchar) as sentiment_label,
                      cast(sentiment_score as double) as sentiment_score,
                      cast(model_version as varchar) as model_version,
                      cast(scored_at as timestamp) as scored_at""",
        )
        con.execute("commit")
    labels = known["sentiment_label"].value_counts().to_dict()
    return MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "texts_scored_now": int(todo.sum()),
            "texts_reused": int((~todo).sum()),
            "model_version": MODEL_VERSION,
            "labels": MetadataValue.json({str(k): int(v) for k, v in labels.items()}),
            "languages": MetadataValue.json(
                {str(k): int(v) for k, v in known["language"].fillna("undetermined").value_counts().items()}
            ),
            "duration_s": round(time.perf_counter() - started, 3),
        }
    )


def model_assets() -> list:
    return [lead_scoring_rules, customer_clv_predictions, text_sentiment]
