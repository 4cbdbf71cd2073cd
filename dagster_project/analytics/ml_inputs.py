"""The dbt models each Python model asset (schema ``ml``) reads.

Shared by the assets (their lineage) and the ml quality gates, which skip a suite while
none of the raw tables behind those models holds delivered data.
"""

from __future__ import annotations

# text_kind: (conformed model of schema intermediate, id column, text expression, language hint expression)
TEXT_SOURCES = {
    "social_comment": ("int_social__comments", "comment_id", "comment_text", "null"),
    "social_mention": ("int_social__mentions", "mention_id", "mention_text", "null"),
    "review": (
        "int_reviews__product_reviews",
        "review_id",
        "nullif(trim(concat_ws('. ', review_title, review_body)), '')",
        "declared_language",
    ),
    "nps_verbatim": ("int_survey__nps_responses", "nps_response_id", "verbatim", "null"),
    "blog_comment": (
        "int_blog__comments",
        "comment_id",
        "case when is_approved and not is_staff then comment_text end",
        "null",
    ),
}

# (schema, model) read by the predictive CLV asset
CLV_INPUT_MODELS: tuple[tuple[str, str], ...] = (("marts", "fct_order"), ("intermediate", "int_kpi__calendar_days"))

# ml table -> dbt models whose raw sources it depends on
ML_TABLE_INPUT_MODELS: dict[str, tuple[str, ...]] = {
    "text_sentiment": tuple(model for model, *_ in TEXT_SOURCES.values()),
    "customer_clv_predictions": ("fct_order",),
}
