with source_rows as (

    select * from {{ source('ads', 'campaign_daily') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'platform, campaign_id, date', '_loaded_at desc, _source_file desc') }}

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

renamed as (

    select
        lower(deduplicated.platform) as platform,
        deduplicated.account_id,
        deduplicated.campaign_id as ad_campaign_id,
        deduplicated.campaign_name,
        nullif(lower(trim(deduplicated.utm_campaign)), '') as utm_campaign,
        lower(deduplicated.network) as network,
        deduplicated.date as report_date,
        deduplicated.impressions,
        deduplicated.clicks,
        cast(deduplicated.cost as {{ dbt.type_numeric() }}) as cost,
        upper(deduplicated.currency) as currency,
        {{ to_reporting_currency('deduplicated.cost', 'fx_rates') }} as cost_eur,
        cast(deduplicated.conversions as {{ type_double() }}) as conversions,
        {{ to_reporting_currency('deduplicated.conversion_value', 'fx_rates') }} as conversion_value_eur,
        deduplicated._loaded_at
    from deduplicated
    left join fx_rates
        on fx_rates.rate_date = deduplicated.date
        and fx_rates.currency = upper(deduplicated.currency)

)

select * from renamed
