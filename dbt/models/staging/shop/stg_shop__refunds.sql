with source_rows as (

    select * from {{ source('shop', 'refunds') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'refund_id', '_loaded_at desc, _source_file desc') }}

),

converted as (

    select
        *,
        {{ to_utc_timestamp('created_at') }} as created_at_utc
    from deduplicated

),

orders as (

    -- refunds convert at the order's rate, so a full refund nets the order to zero in EUR
    select
        order_id,
        eur_per_unit
    from {{ ref('stg_shop__orders') }}

),

fx_rates as (

    -- until a late-arriving order is loaded, the refund day's rate
    select * from {{ ref('stg_finance__fx_rates') }}

),

renamed as (

    select
        converted.refund_id,
        converted.order_id,
        converted.created_at_utc,
        cast({{ utc_to_local('converted.created_at_utc') }} as date) as refund_date_local,
        cast(converted.amount as {{ dbt.type_numeric() }}) as amount,
        upper(converted.currency) as currency,
        round(cast(converted.amount * coalesce(
            orders.eur_per_unit, fx_rates.eur_per_unit,
            case when upper(converted.currency) = '{{ var("reporting_currency") }}' then 1.0 end
        ) as {{ dbt.type_numeric() }}), 2) as amount_eur,
        orders.order_id is not null as is_order_loaded,
        lower(converted.reason) as reason,
        converted._loaded_at
    from converted
    left join orders
        on orders.order_id = converted.order_id
    left join fx_rates
        on fx_rates.rate_date = cast({{ utc_to_local('converted.created_at_utc') }} as date)
        and fx_rates.currency = upper(converted.currency)

)

select * from renamed
