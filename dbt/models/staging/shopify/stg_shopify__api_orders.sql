with source_rows as (

    select * from {{ source('shopify', 'api_orders') }}

),

latest_version as (

-- every pull (updated_at_min) returns the orders changed since the previous one: the copy
-- with the latest updated_at is the order's current state
    {{ deduplicate(
        'source_rows', 'id',
        '(case when updated_at is null then 1 else 0 end), updated_at desc, _loaded_at desc, _source_file desc, _source_row'
    ) }}

),

converted as (

    select
        *,
        {{ to_utc_timestamp('created_at') }} as created_at_utc,
        cast({{ utc_to_local(to_utc_timestamp('created_at')) }} as date) as order_date_local,
        -- discounts of single lines (not spread over the whole order): the channel's line_discount
        {{ shopify_list_sum('line_items', 'line_item',
            shopify_line_level_discount('line_item', 'discount_applications')) }}
            as line_level_discount,
        {{ url_parameter('landing_site', 'utm_source') }} as landing_utm_source,
        {{ url_parameter('landing_site', 'utm_medium') }} as landing_utm_medium,
        {{ url_parameter('landing_site', 'utm_campaign') }} as landing_utm_campaign
    from latest_version

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
        coalesce(converted.total_line_items_price, converted.subtotal_price + converted.total_discounts)
        - converted.line_level_discount as lines_subtotal,
        coalesce(converted.total_discounts, 0) - converted.line_level_discount as order_discount,
        coalesce(
            converted.total_shipping_price_set.shop_money.amount,
            {{ shopify_list_sum('converted.shipping_lines', 'shipping_line', 'shipping_line.price') }}
        ) as shipping_charged
    from converted
    left join fx_rates
        on fx_rates.rate_date = converted.order_date_local
        and fx_rates.currency = upper(converted.currency)

),

renamed as (

    select
        cast(priced.id as {{ dbt.type_string() }}) as order_id,
        {{ shopify_order_number('priced.name', 'priced.order_number') }} as order_number,
        trim(priced.name) as order_name,
        cast(priced.customer.id as {{ dbt.type_string() }}) as shopify_customer_id,
        lower(priced.customer.state) as customer_state,
        -- the shop account: the shop's own account number when customers log in through Multipass,
        -- else Shopify's customer id; only for customers with an account (state enabled)
        case
            when
                nullif(trim(priced.customer.multipass_identifier), '') is not null
                then trim(priced.customer.multipass_identifier)
            when lower(priced.customer.state) = 'enabled' then cast(priced.customer.id as {{ dbt.type_string() }})
        end as customer_number,
        {{ normalize_email('coalesce(priced.email, priced.contact_email)') }} as email,
        {{ email_is_valid(normalize_email('coalesce(priced.email, priced.contact_email)')) }} as is_email_valid,
        {{ phone_to_e164("coalesce(nullif(trim(priced.phone), ''), nullif(trim(priced.billing_address.phone), ''))",
            'priced.billing_address.country_code') }}
            as phone_e164,
        priced.created_at_utc,
        priced.order_date_local,
        upper(priced.currency) as currency,
        upper(priced.presentment_currency) as presentment_currency,
        cast(priced.lines_subtotal as {{ dbt.type_numeric() }}) as subtotal,
        cast(priced.order_discount as {{ dbt.type_numeric() }}) as discount_total,
        cast(priced.shipping_charged as {{ dbt.type_numeric() }}) as shipping,
        cast(priced.total_tax as {{ dbt.type_numeric() }}) as tax,
        cast(priced.total_price as {{ dbt.type_numeric() }}) as total,
        priced.eur_per_unit,
        {{ to_reporting_currency('priced.lines_subtotal', 'priced') }} as subtotal_eur,
        {{ to_reporting_currency('priced.order_discount', 'priced') }} as discount_total_eur,
        {{ to_reporting_currency('priced.shipping_charged', 'priced') }} as shipping_eur,
        {{ to_reporting_currency('priced.total_tax', 'priced') }} as tax_eur,
        {{ to_reporting_currency('priced.total_price', 'priced') }} as total_eur,
        -- total in the presentment currency: converts refund transactions (paid back in it) to the shop currency
        coalesce(priced.total_price_set.presentment_money.amount, priced.total_price) as total_presentment,
        cast(priced.current_total_price as {{ dbt.type_numeric() }}) as current_total,
        nullif(upper(trim({{ shopify_list_element('priced.discount_codes', 1) }}.code)), '') as coupon_code,
        {{ shopify_list_join('priced.discount_codes', 'discount_code', 'upper(trim(discount_code.code))') }}
            as discount_codes,
        -- the order's traffic source: the UTM parameters of the landing URL, else (online orders)
        -- the referring site classified like a GA4 session; null for orders without a landing site
        case
            when
                priced.landing_utm_source is not null
                then nullif(lower(trim({{ shopify_url_decode('priced.landing_utm_source') }})), '')
            when
                nullif(trim(priced.landing_site), '') is not null
                then {{ shopify_referrer_source('priced.referring_site') }}
        end as utm_source,
        case
            when
                priced.landing_utm_source is not null
                then nullif(lower(trim({{ shopify_url_decode('priced.landing_utm_medium') }})), '')
            when
                nullif(trim(priced.landing_site), '') is not null
                then {{ shopify_referrer_medium('priced.referring_site') }}
        end as utm_medium,
        nullif(lower(trim({{ shopify_url_decode('priced.landing_utm_campaign') }})), '') as utm_campaign,
        nullif(trim(priced.landing_site), '') as landing_page,
        nullif(trim(priced.landing_site), '') as landing_site,
        nullif(trim(priced.referring_site), '') as referring_site,
        nullif(trim(priced.landing_site_ref), '') as landing_site_ref,
        upper(priced.billing_address.country_code) as billing_country_code,
        nullif(trim(priced.billing_address.city), '') as billing_city,
        lower(priced.financial_status) as financial_status,
        coalesce(lower(priced.fulfillment_status), 'unfulfilled') as fulfillment_status,
        {{ shopify_order_status('priced.cancelled_at', 'priced.financial_status') }} as order_status,
        {{ shopify_order_status('priced.cancelled_at', 'priced.financial_status') }} = 'cancelled' as is_cancelled,
        {{ to_utc_timestamp('priced.cancelled_at') }} as cancelled_at_utc,
        lower(priced.cancel_reason) as cancel_reason,
        priced.buyer_accepts_marketing as accepts_marketing,
        lower(priced.customer.email_marketing_consent.state) as email_marketing_consent_state,
        lower(trim(priced.source_name)) as source_name,
        coalesce(priced.test, false) as is_test,
        {{ to_utc_timestamp('priced.updated_at') }} as updated_at_utc,
        priced._source_file,
        priced._loaded_at
    from priced

)

select * from renamed
