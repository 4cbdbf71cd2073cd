with source_rows as (

    select * from {{ source('shop', 'order_lines') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'order_id, line_number', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        order_id,
        line_number,
        upper(trim(sku)) as sku,
        product_name,
        lower(category) as product_category,
        quantity,
        cast(unit_price as {{ dbt.type_numeric() }}) as unit_price,
        cast(coalesce(line_discount, 0) as {{ dbt.type_numeric() }}) as line_discount,
        cast(quantity * unit_price - coalesce(line_discount, 0) as {{ dbt.type_numeric() }}) as line_amount,
        _loaded_at
    from deduplicated

)

select * from renamed
