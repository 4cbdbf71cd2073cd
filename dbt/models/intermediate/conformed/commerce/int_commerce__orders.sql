{#-
    Conformed commerce channel: every tool's rows of orders in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    Shopify arrives as the Admin API orders pages and/or the admin CSV export: an order in both
    counts once, from the API (it carries the landing / referring site, refunds with dates and the
    customer); the export fills in the orders the API pulls do not have. Test orders are left out.
-#}

with generic_csv as (

    select
        order_id,
        order_number,
        customer_number,
        email,
        is_email_valid,
        phone_e164,
        created_at_utc,
        order_date_local,
        currency,
        subtotal,
        discount_total,
        shipping,
        tax,
        total,
        eur_per_unit,
        subtotal_eur,
        discount_total_eur,
        shipping_eur,
        tax_eur,
        total_eur,
        coupon_code,
        utm_source,
        utm_medium,
        utm_campaign,
        landing_page,
        billing_country_code,
        billing_city,
        order_status,
        is_cancelled,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as financial_status,
        cast(null as {{ dbt.type_string() }}) as fulfillment_status,
        cast(null as {{ dbt.type_timestamp() }}) as cancelled_at_utc,
        cast(null as {{ dbt.type_string() }}) as cancel_reason,
        cast(null as {{ dbt.type_string() }}) as discount_codes,
        cast(null as {{ dbt.type_boolean() }}) as accepts_marketing,
        cast(null as {{ dbt.type_string() }}) as email_marketing_consent_state,
        cast(null as {{ dbt.type_string() }}) as source_name,
        cast(null as {{ dbt.type_string() }}) as referring_site,
        cast(null as {{ dbt.type_string() }}) as presentment_currency,
        'shop_orders' as source_table
    from {{ ref('stg_shop__orders') }}

),

shopify_api_orders as (

    select * from {{ ref('stg_shopify__api_orders') }}

),

shopify_api as (

    select
        order_id,
        order_number,
        customer_number,
        email,
        is_email_valid,
        phone_e164,
        created_at_utc,
        order_date_local,
        currency,
        subtotal,
        discount_total,
        shipping,
        tax,
        total,
        eur_per_unit,
        subtotal_eur,
        discount_total_eur,
        shipping_eur,
        tax_eur,
        total_eur,
        coupon_code,
        utm_source,
        utm_medium,
        utm_campaign,
        landing_page,
        billing_country_code,
        billing_city,
        order_status,
        is_cancelled,
        _loaded_at,
        'shopify' as source_system,
        financial_status,
        fulfillment_status,
        cancelled_at_utc,
        cancel_reason,
        discount_codes,
        accepts_marketing,
        email_marketing_consent_state,
        source_name,
        referring_site,
        presentment_currency,
        'shopify_api_orders' as source_table
    from shopify_api_orders
    where not is_test

),

shopify_export as (

    -- orders only the CSV export has (no API copy): no landing / referring site, no customer id
    select
        export_orders.order_id,
        export_orders.order_number,
        export_orders.customer_number,
        export_orders.email,
        export_orders.is_email_valid,
        export_orders.phone_e164,
        export_orders.created_at_utc,
        export_orders.order_date_local,
        export_orders.currency,
        export_orders.subtotal,
        export_orders.discount_total,
        export_orders.shipping,
        export_orders.tax,
        export_orders.total,
        export_orders.eur_per_unit,
        export_orders.subtotal_eur,
        export_orders.discount_total_eur,
        export_orders.shipping_eur,
        export_orders.tax_eur,
        export_orders.total_eur,
        export_orders.coupon_code,
        export_orders.utm_source,
        export_orders.utm_medium,
        export_orders.utm_campaign,
        cast(null as {{ dbt.type_string() }}) as landing_page,
        export_orders.billing_country_code,
        export_orders.billing_city,
        export_orders.order_status,
        export_orders.is_cancelled,
        export_orders._loaded_at,
        'shopify' as source_system,
        export_orders.financial_status,
        export_orders.fulfillment_status,
        export_orders.cancelled_at_utc,
        cast(null as {{ dbt.type_string() }}) as cancel_reason,
        export_orders.discount_codes,
        export_orders.accepts_marketing,
        cast(null as {{ dbt.type_string() }}) as email_marketing_consent_state,
        export_orders.source_name,
        cast(null as {{ dbt.type_string() }}) as referring_site,
        cast(null as {{ dbt.type_string() }}) as presentment_currency,
        'shopify_orders' as source_table
    from {{ ref('stg_shopify__export_orders') }} as export_orders
    where not exists (
            select 1 from shopify_api_orders
            where shopify_api_orders.order_id = export_orders.order_id
        )

)

select * from generic_csv
union all
select * from shopify_api
union all
select * from shopify_export
