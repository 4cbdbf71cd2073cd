with source_rows as (

    select * from {{ source('shop', 'orders') }}

),

latest_version as (

-- an order re-exported after a change (e.g. cancelled) appears in a later file: the latest file
-- wins; within one file a cancellation wins over the paid copy it supersedes
    {{ deduplicate(
        'source_rows', 'order_id',
        "_loaded_at desc, _source_file desc, case when lower(status) = 'cancelled' then 0 else 1 end"
    ) }}

),

converted as (

    select
        *,
        {{ to_utc_timestamp('created_at') }} as created_at_utc
    from latest_version

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

priced as (

    -- the reporting currency converts at 1 even without a rate row (extracts without an FX table)
    select
        converted.*,
        coalesce(
            fx_rates.eur_per_unit,
            case when upper(converted.currency) = '{{ var("reporting_currency") }}' then 1.0 end
        ) as eur_per_unit
    from converted
    left join fx_rates
        on fx_rates.rate_date = cast({{ utc_to_local('converted.created_at_utc') }} as date)
        and fx_rates.currency = upper(converted.currency)

),

renamed as (

    select
        converted.order_id,
        converted.order_number,
        nullif(trim(converted.customer_number), '') as customer_number,
        {{ normalize_email('converted.email') }} as email,
        {{ email_is_valid(normalize_email('converted.email')) }} as is_email_valid,
        {{ phone_to_e164('converted.phone', 'converted.billing_country') }} as phone_e164,
        converted.created_at_utc,
        cast({{ utc_to_local('converted.created_at_utc') }} as date) as order_date_local,
        upper(converted.currency) as currency,
        cast(converted.subtotal as {{ dbt.type_numeric() }}) as subtotal,
        cast(converted.discount_total as {{ dbt.type_numeric() }}) as discount_total,
        cast(converted.shipping as {{ dbt.type_numeric() }}) as shipping,
        cast(converted.tax as {{ dbt.type_numeric() }}) as tax,
        cast(converted.total as {{ dbt.type_numeric() }}) as total,
        converted.eur_per_unit,
        {{ to_reporting_currency('converted.subtotal', 'converted') }} as subtotal_eur,
        {{ to_reporting_currency('converted.discount_total', 'converted') }} as discount_total_eur,
        {{ to_reporting_currency('converted.shipping', 'converted') }} as shipping_eur,
        {{ to_reporting_currency('converted.tax', 'converted') }} as tax_eur,
        {{ to_reporting_currency('converted.total', 'converted') }} as total_eur,
        nullif(upper(trim(converted.coupon_code)), '') as coupon_code,
        nullif(lower(trim(converted.utm_source)), '') as utm_source,
        nullif(lower(trim(converted.utm_medium)), '') as utm_medium,
        nullif(lower(trim(converted.utm_campaign)), '') as utm_campaign,
        converted.landing_page,
        upper(converted.billing_country) as billing_country_code,
        nullif(trim(converted.billing_city), '') as billing_city,
        lower(converted.status) as order_status,
        lower(converted.status) = 'cancelled' as is_cancelled,
        converted._loaded_at
    from priced as converted

)

select * from renamed
