"""Column contract of every raw table (name, DuckDB type), in file order.

This mirrors the dbt source YAMLs under ``dbt/models/staging/*/_*__sources.yml``
(the generator must not depend on PyYAML). ``python -m seeds.generator.docs --check``
fails when the two drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawTable:
    """One landing folder: its columns, file format and partitioning."""

    name: str
    columns: tuple[tuple[str, str], ...]
    monthly: bool = False
    file_stem: str = ""
    fmt: str = "csv"  # csv or ndjson

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)

    @property
    def extension(self) -> str:
        return ".ndjson.gz" if self.fmt == "ndjson" else ".csv.gz"

    def file_name(self, month: str | None = None) -> str:
        """``events_202511.ndjson.gz`` for monthly tables, ``contacts.csv.gz`` otherwise."""
        if self.monthly:
            if month is None:
                raise ValueError(f"{self.name} is monthly: a YYYYMM month is required")
            return f"{self.file_stem}_{month}{self.extension}"
        return f"{self.file_stem}{self.extension}"


TABLES: dict[str, RawTable] = {
    "ads_campaign_daily": RawTable(
        name="ads_campaign_daily",
        file_stem="campaign_daily",
        monthly=True,
        columns=(
            ("platform", "varchar"),
            ("account_id", "varchar"),
            ("campaign_id", "varchar"),
            ("campaign_name", "varchar"),
            ("utm_campaign", "varchar"),
            ("network", "varchar"),
            ("date", "date"),
            ("impressions", "bigint"),
            ("clicks", "bigint"),
            ("cost", "double"),
            ("currency", "varchar"),
            ("conversions", "double"),
            ("conversion_value", "double"),
        ),
    ),
    "crm_companies": RawTable(
        name="crm_companies",
        file_stem="companies",
        columns=(
            ("company_id", "varchar"),
            ("name", "varchar"),
            ("domain", "varchar"),
            ("industry", "varchar"),
            ("employee_count", "integer"),
            ("country", "varchar"),
            ("city", "varchar"),
            ("created_at", "timestamp"),
        ),
    ),
    "crm_contacts": RawTable(
        name="crm_contacts",
        file_stem="contacts",
        columns=(
            ("contact_id", "varchar"),
            ("email", "varchar"),
            ("phone", "varchar"),
            ("first_name", "varchar"),
            ("last_name", "varchar"),
            ("job_title", "varchar"),
            ("company_id", "varchar"),
            ("country", "varchar"),
            ("city", "varchar"),
            ("language", "varchar"),
            ("instagram_handle", "varchar"),
            ("linkedin_handle", "varchar"),
            ("customer_number", "varchar"),
            ("consent_email", "boolean"),
            ("consent_sms", "boolean"),
            ("lifecycle_stage", "varchar"),
            ("created_at", "timestamp"),
            ("updated_at", "timestamp"),
        ),
    ),
    "crm_lead_stage_history": RawTable(
        name="crm_lead_stage_history",
        file_stem="lead_stage_history",
        columns=(
            ("lead_id", "varchar"),
            ("stage", "varchar"),
            ("changed_at", "timestamp"),
        ),
    ),
    "crm_leads": RawTable(
        name="crm_leads",
        file_stem="leads",
        columns=(
            ("lead_id", "varchar"),
            ("contact_id", "varchar"),
            ("created_at", "timestamp"),
            ("source_channel", "varchar"),
            ("utm_campaign", "varchar"),
            ("stage", "varchar"),
            ("amount_eur", "double"),
            ("closed_at", "timestamp"),
        ),
    ),
    "esp_activity": RawTable(
        name="esp_activity",
        file_stem="activity",
        monthly=True,
        columns=(
            ("activity_id", "varchar"),
            ("campaign_id", "varchar"),
            ("recipient_email", "varchar"),
            ("recipient_phone", "varchar"),
            ("event_type", "varchar"),
            ("event_at", "timestamp"),
            ("link_url", "varchar"),
            ("bounce_type", "varchar"),
        ),
    ),
    "esp_campaigns": RawTable(
        name="esp_campaigns",
        file_stem="campaigns",
        columns=(
            ("campaign_id", "varchar"),
            ("campaign_name", "varchar"),
            ("channel", "varchar"),
            ("list_id", "varchar"),
            ("subject", "varchar"),
            ("utm_campaign", "varchar"),
            ("sent_at", "timestamp"),
        ),
    ),
    "esp_list_membership": RawTable(
        name="esp_list_membership",
        file_stem="list_membership",
        columns=(
            ("list_id", "varchar"),
            ("subscriber_email", "varchar"),
            ("subscriber_phone", "varchar"),
            ("event_type", "varchar"),
            ("event_at", "timestamp"),
            ("signup_source", "varchar"),
        ),
    ),
    "finance_fx_rates": RawTable(
        name="finance_fx_rates",
        file_stem="fx_rates",
        columns=(
            ("rate_date", "date"),
            ("currency", "varchar"),
            ("eur_per_unit", "double"),
        ),
    ),
    "finance_marketing_spend": RawTable(
        name="finance_marketing_spend",
        file_stem="marketing_spend",
        columns=(
            ("spend_date", "date"),
            ("channel", "varchar"),
            ("platform", "varchar"),
            ("utm_campaign", "varchar"),
            ("cost_type", "varchar"),
            ("amount", "double"),
            ("currency", "varchar"),
        ),
    ),
    "ga4_events": RawTable(
        name="ga4_events",
        file_stem="events",
        monthly=True,
        fmt="ndjson",
        columns=(
            ("event_date", "varchar"),
            ("event_timestamp", "bigint"),
            ("event_name", "varchar"),
            (
                "event_params",
                "struct(key varchar, value struct(string_value varchar, int_value bigint, double_value double))[]",
            ),
            ("user_pseudo_id", "varchar"),
            ("user_id", "varchar"),
            ("device", "struct(category varchar, operating_system varchar, browser varchar, language varchar)"),
            ("geo", "struct(continent varchar, country varchar, region varchar, city varchar)"),
            ("traffic_source", "struct(name varchar, medium varchar, source varchar)"),
            (
                "collected_traffic_source",
                "struct(manual_campaign_name varchar, manual_source varchar, manual_medium varchar, gclid varchar)",
            ),
            ("ecommerce", "struct(transaction_id varchar, purchase_revenue double, total_item_quantity bigint)"),
            ("platform", "varchar"),
        ),
    ),
    "gsc_search_performance": RawTable(
        name="gsc_search_performance",
        file_stem="search_performance",
        monthly=True,
        columns=(
            ("data_date", "date"),
            ("site_url", "varchar"),
            ("url", "varchar"),
            ("query", "varchar"),
            ("is_anonymized_query", "boolean"),
            ("country", "varchar"),
            ("device", "varchar"),
            ("impressions", "bigint"),
            ("clicks", "bigint"),
            ("sum_top_position", "double"),
        ),
    ),
    "reviews_product_reviews": RawTable(
        name="reviews_product_reviews",
        file_stem="product_reviews",
        columns=(
            ("review_id", "varchar"),
            ("platform", "varchar"),
            ("product_sku", "varchar"),
            ("submitted_at", "timestamp"),
            ("rating", "integer"),
            ("title", "varchar"),
            ("body", "varchar"),
            ("language", "varchar"),
            ("reviewer_name", "varchar"),
            ("reviewer_email", "varchar"),
            ("order_number", "varchar"),
            ("verified_purchase", "boolean"),
        ),
    ),
    "shop_order_lines": RawTable(
        name="shop_order_lines",
        file_stem="order_lines",
        monthly=True,
        columns=(
            ("order_id", "varchar"),
            ("line_number", "integer"),
            ("sku", "varchar"),
            ("product_name", "varchar"),
            ("category", "varchar"),
            ("quantity", "integer"),
            ("unit_price", "double"),
            ("line_discount", "double"),
        ),
    ),
    "shop_orders": RawTable(
        name="shop_orders",
        file_stem="orders",
        monthly=True,
        columns=(
            ("order_id", "varchar"),
            ("order_number", "varchar"),
            ("customer_number", "varchar"),
            ("email", "varchar"),
            ("phone", "varchar"),
            ("created_at", "timestamptz"),
            ("currency", "varchar"),
            ("subtotal", "double"),
            ("discount_total", "double"),
            ("shipping", "double"),
            ("tax", "double"),
            ("total", "double"),
            ("coupon_code", "varchar"),
            ("utm_source", "varchar"),
            ("utm_medium", "varchar"),
            ("utm_campaign", "varchar"),
            ("landing_page", "varchar"),
            ("billing_country", "varchar"),
            ("billing_city", "varchar"),
            ("status", "varchar"),
        ),
    ),
    "shop_refunds": RawTable(
        name="shop_refunds",
        file_stem="refunds",
        monthly=True,
        columns=(
            ("refund_id", "varchar"),
            ("order_id", "varchar"),
            ("created_at", "timestamptz"),
            ("amount", "double"),
            ("currency", "varchar"),
            ("reason", "varchar"),
        ),
    ),
    "social_comments": RawTable(
        name="social_comments",
        file_stem="comments",
        columns=(
            ("platform", "varchar"),
            ("comment_id", "varchar"),
            ("post_id", "varchar"),
            ("author_handle", "varchar"),
            ("created_at", "timestamp"),
            ("text", "varchar"),
            ("like_count", "bigint"),
        ),
    ),
    "social_mentions": RawTable(
        name="social_mentions",
        file_stem="mentions",
        columns=(
            ("platform", "varchar"),
            ("mention_id", "varchar"),
            ("author_handle", "varchar"),
            ("created_at", "timestamp"),
            ("text", "varchar"),
            ("permalink", "varchar"),
            ("author_followers", "bigint"),
        ),
    ),
    "social_page_insights": RawTable(
        name="social_page_insights",
        file_stem="page_insights",
        monthly=True,
        columns=(
            ("platform", "varchar"),
            ("page_id", "varchar"),
            ("date", "date"),
            ("followers", "bigint"),
            ("follows", "bigint"),
            ("unfollows", "bigint"),
            ("reach", "bigint"),
            ("impressions", "bigint"),
        ),
    ),
    "social_posts": RawTable(
        name="social_posts",
        file_stem="posts",
        columns=(
            ("platform", "varchar"),
            ("post_id", "varchar"),
            ("page_id", "varchar"),
            ("published_at", "timestamp"),
            ("post_type", "varchar"),
            ("message", "varchar"),
            ("utm_campaign", "varchar"),
            ("reach", "bigint"),
            ("impressions", "bigint"),
            ("reactions", "bigint"),
            ("comments", "bigint"),
            ("shares", "bigint"),
            ("saves", "bigint"),
            ("link_clicks", "bigint"),
        ),
    ),
    "survey_nps_responses": RawTable(
        name="survey_nps_responses",
        file_stem="nps_responses",
        columns=(
            ("response_id", "varchar"),
            ("survey_id", "varchar"),
            ("submitted_at", "timestamp"),
            ("respondent_email", "varchar"),
            ("contact_id", "varchar"),
            ("score", "integer"),
            ("verbatim", "varchar"),
            ("channel", "varchar"),
        ),
    ),
    "ticketing_events": RawTable(
        name="ticketing_events",
        file_stem="events",
        columns=(
            ("event_id", "varchar"),
            ("name", "varchar"),
            ("event_type", "varchar"),
            ("format", "varchar"),
            ("starts_at", "timestamp"),
            ("ends_at", "timestamp"),
            ("city", "varchar"),
            ("country", "varchar"),
            ("capacity", "integer"),
            ("utm_campaign", "varchar"),
        ),
    ),
    "ticketing_registrations": RawTable(
        name="ticketing_registrations",
        file_stem="registrations",
        columns=(
            ("registration_id", "varchar"),
            ("event_id", "varchar"),
            ("email", "varchar"),
            ("phone", "varchar"),
            ("first_name", "varchar"),
            ("last_name", "varchar"),
            ("company_name", "varchar"),
            ("registered_at", "timestamp"),
            ("checked_in_at", "timestamp"),
            ("ticket_type", "varchar"),
        ),
    ),
}
