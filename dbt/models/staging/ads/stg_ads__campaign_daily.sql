with source_rows as (

    select * from {{ source('ads', 'campaign_daily') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'platform, campaign_id, date', '_loaded_at desc, _source_file desc') }}

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

with_rates as (

    select
        deduplicated.*,
        case
            when upper(trim(deduplicated.currency)) = '{{ var("reporting_currency") }}' then 1.0
            else fx_rates.eur_per_unit
        end as eur_per_unit
    from deduplicated
    left join fx_rates
        on fx_rates.rate_date = deduplicated.date
        and fx_rates.currency = upper(trim(deduplicated.currency))

),

renamed as (

    select
        lower(with_rates.platform) as platform,
        with_rates.account_id,
        with_rates.campaign_id as ad_campaign_id,
        with_rates.campaign_name,
        nullif(lower(trim(with_rates.utm_campaign)), '') as utm_campaign,
        lower(with_rates.network) as network,
        with_rates.date as report_date,
        with_rates.impressions,
        with_rates.clicks,
        cast(with_rates.cost as {{ dbt.type_numeric() }}) as cost,
        upper(with_rates.currency) as currency,
        {{ to_reporting_currency('with_rates.cost', 'with_rates') }} as cost_eur,
        cast(with_rates.conversions as {{ type_double() }}) as conversions,
        {{ to_reporting_currency('with_rates.conversion_value', 'with_rates') }} as conversion_value_eur,
        with_rates._loaded_at
    from with_rates

)

select * from renamed
