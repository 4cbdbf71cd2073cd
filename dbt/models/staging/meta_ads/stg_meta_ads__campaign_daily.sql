{#-
    Meta Ads campaign-days from the Ads Manager exports. A campaign-day can be in several
    exports (overlapping ranges, restated days): the latest export wins, as a whole
    (`_loaded_at desc`; among files loaded together, the one reaching the later day, then the
    alphabetically last name). Within that export the rows of a
    campaign-day are added up (an extra breakdown, e.g. placement, splits them; reach is then
    not additive and left null). An empty Purchases cell is no purchase (0).
-#}

with source_rows as (

    select
        *,
        coalesce(day, reporting_starts) as report_date,
        case
            when day is not null then 1
            else {{ dbt.datediff('reporting_starts', 'reporting_ends', 'day') }} + 1  -- noqa: LT05
        end as reported_days
    from {{ source('meta_ads', 'campaign_daily') }}

),

export_days as (

    select
        campaign_id,
        report_date,
        _source_file,
        _loaded_at,
        max(report_date) over (partition by _source_file, _loaded_at) as export_last_day
    from source_rows

),

exports as (

    select distinct
        campaign_id,
        report_date,
        _source_file,
        _loaded_at,
        export_last_day
    from export_days

),

latest_exports as (

    {{ deduplicate('exports', 'campaign_id, report_date', '_loaded_at desc, export_last_day desc, _source_file desc') }}

),

kept_rows as (

    select source_rows.*
    from source_rows
    inner join latest_exports
        on latest_exports.campaign_id = source_rows.campaign_id
        and latest_exports.report_date = source_rows.report_date
        and latest_exports._source_file = source_rows._source_file
        and latest_exports._loaded_at = source_rows._loaded_at

),

campaign_days as (

    select
        campaign_id,
        report_date,
        max(reported_days) as reported_days,
        max(account_id) as account_id,
        max(campaign_name) as campaign_name,
        max(campaign_delivery) as campaign_delivery,
        max(attribution_setting) as attribution_setting,
        max(result_indicator) as result_indicator,
        sum(results) as results,
        max(currency) as currency,
        sum(amount_spent) as amount_spent,
        cast(sum(impressions) as {{ dbt.type_bigint() }}) as impressions,
        case when count(*) = 1 then max(reach) end as reach,
        cast(sum(link_clicks) as {{ dbt.type_bigint() }}) as link_clicks,
        cast(sum(clicks_all) as {{ dbt.type_bigint() }}) as clicks_all,
        sum(purchases) as purchases,
        sum(purchases_conversion_value) as purchases_conversion_value,
        sum(website_purchases) as website_purchases,
        count(*) as segment_rows,
        max(_source_file) as _source_file,
        max(_loaded_at) as _loaded_at
    from kept_rows
    group by campaign_id, report_date

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

with_rates as (

    select
        campaign_days.*,
        case
            when upper(trim(campaign_days.currency)) = '{{ var("reporting_currency") }}' then 1.0
            else fx_rates.eur_per_unit
        end as eur_per_unit
    from campaign_days
    left join fx_rates
        on fx_rates.rate_date = campaign_days.report_date
        and fx_rates.currency = upper(trim(campaign_days.currency))

),

renamed as (

    select
        with_rates.campaign_id as ad_campaign_id,
        nullif(trim(with_rates.account_id), '') as account_id,
        trim(with_rates.campaign_name) as campaign_name,
        lower(with_rates.campaign_delivery) as campaign_delivery,
        with_rates.attribution_setting,
        with_rates.report_date,
        with_rates.reported_days,
        with_rates.impressions,
        with_rates.reach,
        coalesce(with_rates.link_clicks, 0) as link_clicks,
        with_rates.clicks_all,
        cast(with_rates.results as {{ type_double() }}) as results,
        with_rates.result_indicator,
        cast(with_rates.amount_spent as {{ dbt.type_numeric() }}) as cost,
        upper(trim(with_rates.currency)) as currency,
        {{ to_reporting_currency('with_rates.amount_spent', 'with_rates') }} as cost_eur,
        cast(coalesce(with_rates.purchases, 0) as {{ type_double() }}) as purchases,
        cast(coalesce(with_rates.purchases_conversion_value, 0) as {{ dbt.type_numeric() }}) as purchases_value,
        {{ to_reporting_currency('coalesce(with_rates.purchases_conversion_value, 0)',
            'with_rates') }} as purchases_value_eur,
        cast(with_rates.website_purchases as {{ type_double() }}) as website_purchases,
        with_rates.segment_rows,
        with_rates._source_file,
        with_rates._loaded_at
    from with_rates

)

select * from renamed
