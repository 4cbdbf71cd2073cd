with source_rows as (

    select * from {{ source('shopify', 'orders_export') }}

),

order_rows as (

    -- the order-level columns (and the Id) are on the first line-item row of each order only
    select * from source_rows
    where id is not null

),

latest_export as (

    -- an order exported again in a later download: the latest file wins
    {{ deduplicate('order_rows', 'id', '_loaded_at desc, _source_file desc, _source_row') }}

),

converted as (

    select
        *,
        {{ to_utc_timestamp('created_at') }} as created_at_utc,
        cast({{ utc_to_local(to_utc_timestamp('created_at')) }} as date) as order_date_local
    from latest_export

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

priced as (

    select
        converted.*,
        case
            when upper(converted.currency) = '{{ var("reporting_currency") }}' then 1.0
            else fx_rates.eur_per_unit
        end as eur_per_unit,
        -- the export's Subtotal is after the discount; the channel's subtotal is before it
        coalesce(converted.subtotal, 0) + coalesce(converted.discount_amount, 0) as lines_subtotal,
        coalesce(converted.discount_amount, 0) as order_discount
    from converted
    left join fx_rates
        on fx_rates.rate_date = converted.order_date_local
        and fx_rates.currency = upper(converted.currency)

),

renamed as (

    select
        trim(priced.id) as order_id,
        {{ shopify_order_number('priced.name') }} as order_number,
        trim(priced.name) as order_name,
        -- the export has no customer id: the buyer is known by email / phone only
        cast(null as {{ dbt.type_string() }}) as customer_number,
        {{ normalize_email('priced.email') }} as email,
        {{ email_is_valid(normalize_email('priced.email')) }} as is_email_valid,
        {{ phone_to_e164("coalesce(nullif(trim(priced.phone), ''), nullif(trim(priced.billing_phone), ''))",
            'priced.billing_country') }}
            as phone_e164,
        priced.created_at_utc,
        priced.order_date_local,
        upper(priced.currency) as currency,
        cast(priced.lines_subtotal as {{ dbt.type_numeric() }}) as subtotal,
        cast(priced.order_discount as {{ dbt.type_numeric() }}) as discount_total,
        cast(priced.shipping as {{ dbt.type_numeric() }}) as shipping,
        cast(priced.taxes as {{ dbt.type_numeric() }}) as tax,
        cast(priced.total as {{ dbt.type_numeric() }}) as total,
        priced.eur_per_unit,
        {{ to_reporting_currency('priced.lines_subtotal', 'priced') }} as subtotal_eur,
        {{ to_reporting_currency('priced.order_discount', 'priced') }} as discount_total_eur,
        {{ to_reporting_currency('priced.shipping', 'priced') }} as shipping_eur,
        {{ to_reporting_currency('priced.taxes', 'priced') }} as tax_eur,
        {{ to_reporting_currency('priced.total', 'priced') }} as total_eur,
        cast(priced.refunded_amount as {{ dbt.type_numeric() }}) as refunded_amount,
        {{ to_reporting_currency('priced.refunded_amount', 'priced') }} as refunded_amount_eur,
        nullif(upper(trim(priced.discount_code)), '') as coupon_code,
        nullif(upper(trim(priced.discount_code)), '') as discount_codes,
        -- the export carries no landing or referring site: no UTM parameters
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        upper(trim(priced.billing_country)) as billing_country_code,
        nullif(trim(priced.billing_city), '') as billing_city,
        nullif(regexp_replace(trim(priced.billing_zip), '^''', ''), '') as billing_zip,
        lower(priced.financial_status) as financial_status,
        lower(priced.fulfillment_status) as fulfillment_status,
        {{ shopify_order_status('priced.cancelled_at', 'priced.financial_status') }} as order_status,
        {{ shopify_order_status('priced.cancelled_at', 'priced.financial_status') }} = 'cancelled' as is_cancelled,
        {{ to_utc_timestamp('priced.cancelled_at') }} as cancelled_at_utc,
        {{ to_utc_timestamp('priced.paid_at') }} as paid_at_utc,
        {{ to_utc_timestamp('priced.fulfilled_at') }} as fulfilled_at_utc,
        priced.accepts_marketing,
        lower(trim(priced.source)) as source_name,
        nullif(trim(priced.tags), '') as tags,
        priced._source_file,
        priced._loaded_at
    from priced

)

select * from renamed
