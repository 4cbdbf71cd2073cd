{#-
    Conformed commerce channel: every tool's rows of refunds in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    Shopify: the API's refunds that returned money (a cancelled authorisation is a void, not a
    refund), dated; for orders only the CSV export has, one row per refunded order with its
    Refunded Amount, dated at the order (the export has no refund date: is_refund_date_known false).
-#}

with generic_csv as (

    select
        refund_id,
        order_id,
        created_at_utc,
        refund_date_local,
        amount,
        currency,
        amount_eur,
        is_order_loaded,
        reason,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as note,
        true as is_refund_date_known,
        'shop_refunds' as source_table
    from {{ ref('stg_shop__refunds') }}

),

shopify_api_orders as (

    select
        order_id,
        is_test
    from {{ ref('stg_shopify__api_orders') }}

),

shopify_api as (

    select
        refunds.refund_id,
        refunds.order_id,
        refunds.created_at_utc,
        refunds.refund_date_local,
        refunds.amount,
        refunds.currency,
        refunds.amount_eur,
        true as is_order_loaded,
        -- Shopify has no refund reason list, only a free-text note
        cast(null as {{ dbt.type_string() }}) as reason,
        refunds._loaded_at,
        'shopify' as source_system,
        refunds.note,
        true as is_refund_date_known,
        'shopify_api_orders' as source_table
    from {{ ref('stg_shopify__api_refunds') }} as refunds
    inner join shopify_api_orders on shopify_api_orders.order_id = refunds.order_id
    where refunds.is_money_refund and not shopify_api_orders.is_test

),

shopify_export as (

    select
        refunds.refund_id,
        refunds.order_id,
        refunds.created_at_utc,
        refunds.refund_date_local,
        refunds.amount,
        refunds.currency,
        refunds.amount_eur,
        true as is_order_loaded,
        cast(null as {{ dbt.type_string() }}) as reason,
        refunds._loaded_at,
        'shopify' as source_system,
        cast(null as {{ dbt.type_string() }}) as note,
        refunds.is_refund_date_known,
        'shopify_orders' as source_table
    from {{ ref('stg_shopify__export_refunds') }} as refunds
    where not exists (
            select 1 from shopify_api_orders
            where shopify_api_orders.order_id = refunds.order_id
        )

)

select * from generic_csv
union all
select * from shopify_api
union all
select * from shopify_export
