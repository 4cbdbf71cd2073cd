{#-
    Google Ads campaign-days from the UI "Campaign report" downloads. A campaign-day can be in
    several downloads (overlapping ranges, restated days): the latest download wins, as a whole
    (`_loaded_at desc`; among files loaded together, the one reaching the later day, then the
    alphabetically last name). Within that download the rows of a campaign-day are added up (a
    table also segmented by device or network splits them).
-#}

with source_rows as (

    select * from {{ source('google_ads', 'campaign_daily') }}

),

download_days as (

    select
        campaign_id,
        day,
        _source_file,
        _loaded_at,
        max(day) over (partition by _source_file, _loaded_at) as download_last_day
    from source_rows

),

downloads as (

    select distinct
        campaign_id,
        day,
        _source_file,
        _loaded_at,
        download_last_day
    from download_days

),

latest_downloads as (

    {{ deduplicate('downloads', 'campaign_id, day', '_loaded_at desc, download_last_day desc, _source_file desc') }}

),

kept_rows as (

    select source_rows.*
    from source_rows
    inner join latest_downloads
        on latest_downloads.campaign_id = source_rows.campaign_id
        and latest_downloads.day = source_rows.day
        and latest_downloads._source_file = source_rows._source_file
        and latest_downloads._loaded_at = source_rows._loaded_at

),

campaign_days as (

    select
        campaign_id,
        day,
        max(campaign) as campaign,
        max(campaign_type) as campaign_type,
        max(campaign_status) as campaign_status,
        max(customer_id) as customer_id,
        max(currency_code) as currency_code,
        cast(sum(impr) as {{ dbt.type_bigint() }}) as impr,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        sum(cost) as cost,
        sum(conversions) as conversions,
        sum(conv_value) as conv_value,
        sum(all_conv) as all_conv,
        sum(all_conv_value) as all_conv_value,
        count(*) as segment_rows,
        max(_source_file) as _source_file,
        max(_loaded_at) as _loaded_at
    from kept_rows
    group by campaign_id, day

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

with_rates as (

    select
        campaign_days.*,
        case
            when upper(trim(campaign_days.currency_code)) = '{{ var("reporting_currency") }}' then 1.0
            else fx_rates.eur_per_unit
        end as eur_per_unit
    from campaign_days
    left join fx_rates
        on fx_rates.rate_date = campaign_days.day
        and fx_rates.currency = upper(trim(campaign_days.currency_code))

),

renamed as (

    select
        with_rates.campaign_id as ad_campaign_id,
        nullif(trim(with_rates.customer_id), '') as customer_id,
        trim(with_rates.campaign) as campaign_name,
        with_rates.campaign_type,
        lower(with_rates.campaign_status) as campaign_status,
        case lower(trim(with_rates.campaign_type))
            when 'search' then 'search'
            when 'shopping' then 'search'
            when 'hotel' then 'search'
            when 'display' then 'display'
            when 'demand gen' then 'display'
            when 'discovery' then 'display'
            when 'video' then 'video'
            when 'performance max' then 'cross_network'
            when 'smart' then 'cross_network'
            when 'app' then 'cross_network'
            when 'local' then 'cross_network'
        end as network,
        with_rates.day as report_date,
        with_rates.impr as impressions,
        with_rates.clicks,
        cast(with_rates.cost as {{ dbt.type_numeric() }}) as cost,
        upper(trim(with_rates.currency_code)) as currency,
        {{ to_reporting_currency('with_rates.cost', 'with_rates') }} as cost_eur,
        cast(with_rates.conversions as {{ type_double() }}) as conversions,
        cast(with_rates.conv_value as {{ dbt.type_numeric() }}) as conversion_value,
        {{ to_reporting_currency('with_rates.conv_value', 'with_rates') }} as conversion_value_eur,
        cast(with_rates.all_conv as {{ type_double() }}) as all_conversions,
        {{ to_reporting_currency('with_rates.all_conv_value', 'with_rates') }} as all_conversion_value_eur,
        with_rates.segment_rows,
        with_rates._source_file,
        with_rates._loaded_at
    from with_rates

)

select * from renamed
