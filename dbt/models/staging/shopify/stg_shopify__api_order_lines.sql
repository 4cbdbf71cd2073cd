with source_rows as (

    select * from {{ source('shopify', 'api_orders') }}

),

latest_version as (

-- the same copy of each order as stg_shopify__api_orders (latest updated_at)
    {{ deduplicate(
        'source_rows', 'id',
        '(case when updated_at is null then 1 else 0 end), updated_at desc, _loaded_at desc, _source_file desc, _source_row'
    ) }}

),

exploded as (

    select
        cast(id as {{ dbt.type_string() }}) as order_id,
        discount_applications,
        _loaded_at,
        {{ shopify_explode_with_position('line_items', 'line_item', 'line_position') }}
    from latest_version

),

renamed as (

    select
        exploded.order_id,
        cast(exploded.line_position + 1 as integer) as line_number,
        cast(line_item.id as {{ dbt.type_string() }}) as line_item_id,
        nullif(upper(trim(line_item.sku)), '') as sku,
        line_item.name as product_name,
        -- Shopify's line items carry no product type
        cast(null as {{ dbt.type_string() }}) as product_category,
        cast(line_item.quantity as integer) as quantity,
        cast(line_item.price as {{ dbt.type_numeric() }}) as unit_price,
        cast(
            {{ shopify_line_level_discount('line_item', 'discount_applications') }} as {{ dbt.type_numeric() }}
        ) as line_discount,
        cast(
            line_item.quantity * line_item.price
            - {{ shopify_line_level_discount('line_item', 'discount_applications') }} as {{ dbt.type_numeric() }}
        ) as line_amount,
        cast(
            {{ shopify_list_sum('line_item.discount_allocations', 'allocation',
                'allocation.amount') }} as {{ dbt.type_numeric() }}
        ) as allocated_discount,
        cast(line_item.product_id as {{ dbt.type_string() }}) as product_id,
        cast(line_item.variant_id as {{ dbt.type_string() }}) as variant_id,
        nullif(trim(line_item.vendor), '') as vendor,
        coalesce(lower(line_item.fulfillment_status), 'unfulfilled') as fulfillment_status,
        cast(line_item.current_quantity as integer) as current_quantity,
        exploded._loaded_at
    from exploded

)

select * from renamed
