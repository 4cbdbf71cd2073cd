{#-
    Conformed commerce channel: every tool's rows of order lines in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    Shopify lines come from the same copy of the order as int_commerce__orders (API, else export).
-#}

with generic_csv as (

    select
        order_id,
        line_number,
        sku,
        product_name,
        product_category,
        quantity,
        unit_price,
        line_discount,
        line_amount,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as vendor,
        'shop_order_lines' as source_table
    from {{ ref('stg_shop__order_lines') }}

),

shopify_api_orders as (

    select
        order_id,
        is_test
    from {{ ref('stg_shopify__api_orders') }}

),

shopify_api as (

    select
        lines.order_id,
        lines.line_number,
        lines.sku,
        lines.product_name,
        lines.product_category,
        lines.quantity,
        lines.unit_price,
        lines.line_discount,
        lines.line_amount,
        lines._loaded_at,
        'shopify' as source_system,
        lines.vendor,
        'shopify_api_orders' as source_table
    from {{ ref('stg_shopify__api_order_lines') }} as lines
    inner join shopify_api_orders on shopify_api_orders.order_id = lines.order_id
    where not shopify_api_orders.is_test

),

shopify_export as (

    select
        lines.order_id,
        lines.line_number,
        lines.sku,
        lines.product_name,
        lines.product_category,
        lines.quantity,
        lines.unit_price,
        lines.line_discount,
        lines.line_amount,
        lines._loaded_at,
        'shopify' as source_system,
        lines.vendor,
        'shopify_orders' as source_table
    from {{ ref('stg_shopify__export_order_lines') }} as lines
    where not exists (
            select 1 from shopify_api_orders
            where shopify_api_orders.order_id = lines.order_id
        )

)

select * from generic_csv
union all
select * from shopify_api
union all
select * from shopify_export
