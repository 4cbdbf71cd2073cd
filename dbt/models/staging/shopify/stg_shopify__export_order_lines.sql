with source_rows as (

    select * from {{ source('shopify', 'orders_export') }}

),

grouped as (

    -- the rows of one order in one file share its Name; only the first carries the Id, and the
    -- line position is the row's place in the group (the export has no line number)
    select
        *,
        max(trim(id)) over (partition by _source_file, _loaded_at, name) as order_id,
        row_number() over (partition by _source_file, _loaded_at, name order by _source_row) as line_number
    from source_rows

),

kept_orders as (

    -- the lines of the export copy that stg_shopify__export_orders keeps
    select
        order_id,
        _source_file,
        _loaded_at
    from {{ ref('stg_shopify__export_orders') }}

),

renamed as (

    select
        grouped.order_id,
        cast(grouped.line_number as integer) as line_number,
        nullif(upper(trim(grouped.lineitem_sku)), '') as sku,
        grouped.lineitem_name as product_name,
        -- the orders export has no product type
        cast(null as {{ dbt.type_string() }}) as product_category,
        cast(grouped.lineitem_quantity as integer) as quantity,
        cast(grouped.lineitem_price as {{ dbt.type_numeric() }}) as unit_price,
        cast(coalesce(grouped.lineitem_discount, 0) as {{ dbt.type_numeric() }}) as line_discount,
        cast(
            grouped.lineitem_quantity * grouped.lineitem_price
            - coalesce(grouped.lineitem_discount, 0) as {{ dbt.type_numeric() }}
        ) as line_amount,
        cast(grouped.lineitem_compare_at_price as {{ dbt.type_numeric() }}) as compare_at_price,
        nullif(trim(grouped.vendor), '') as vendor,
        lower(grouped.lineitem_fulfillment_status) as fulfillment_status,
        grouped._loaded_at
    from grouped
    inner join kept_orders
        on kept_orders.order_id = grouped.order_id
        and kept_orders._source_file = grouped._source_file
        and kept_orders._loaded_at = grouped._loaded_at

)

select * from renamed
