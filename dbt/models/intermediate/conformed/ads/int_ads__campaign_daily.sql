{#-
    Conformed ads channel: every tool's campaign-days in one shape, with the tool in
    source_system. Branches: the documented generic CSV (raw ads_campaign_daily), the Google Ads
    UI campaign report and the Meta Ads Manager export. A second tool for the channel is one
    more staging folder and one more branch here.

    Neither native export carries the UTM or the ad account. utm_campaign, in this order:
      1. the export's own utm_campaign (generic CSV only);
      2. the team's campaign mapping (raw ads_campaign_mapping) by platform and campaign id;
      3. the mapping by platform and campaign name (rows without an id; case-insensitive);
      4. the naming convention of macro ads_utm_from_campaign_name (a snake_case part of the
         campaign name, e.g. "IT | Search | spring_2026");
    else null. utm_campaign_source says which one gave it. account_id: the export's, else the
    mapping's, else var google_ads_customer_id / meta_ads_account_id (default null).
    A campaign-day both in the generic CSV and in a native export is taken from the native one.
-#}

{%- set no_account = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- set google_ads_customer_id = var('google_ads_customer_id', none) -%}
{%- set meta_ads_account_id = var('meta_ads_account_id', none) -%}

with generic_csv as (

    select
        platform,
        account_id,
        ad_campaign_id,
        campaign_name,
        utm_campaign as export_utm_campaign,
        network,
        report_date,
        impressions,
        clicks,
        cost,
        currency,
        cost_eur,
        conversions,
        conversion_value_eur,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_ads__campaign_daily') }}

),

google_ads as (

    select
        'google_ads' as platform,
        customer_id as account_id,
        ad_campaign_id,
        campaign_name,
        cast(null as {{ dbt.type_string() }}) as export_utm_campaign,
        network,
        report_date,
        impressions,
        clicks,
        cost,
        currency,
        cost_eur,
        conversions,
        conversion_value_eur,
        _loaded_at,
        'google_ads' as source_system
    from {{ ref('stg_google_ads__campaign_daily') }}

),

meta_ads as (

    select
        'meta_ads' as platform,
        account_id,
        ad_campaign_id,
        campaign_name,
        cast(null as {{ dbt.type_string() }}) as export_utm_campaign,
        'social' as network,
        report_date,
        impressions,
        link_clicks as clicks,
        cost,
        currency,
        cost_eur,
        purchases as conversions,
        purchases_value_eur as conversion_value_eur,
        _loaded_at,
        'meta_ads' as source_system
    from {{ ref('stg_meta_ads__campaign_daily') }}

),

native_exports as (

    select * from google_ads
    union all
    select * from meta_ads

),

generic_csv_not_in_native_exports as (

    select generic_csv.*
    from generic_csv
    left join native_exports
        on native_exports.platform = generic_csv.platform
        and native_exports.ad_campaign_id = generic_csv.ad_campaign_id
        and native_exports.report_date = generic_csv.report_date
    where native_exports.ad_campaign_id is null

),

campaign_days as (

    select * from generic_csv_not_in_native_exports
    union all
    select * from native_exports

),

mappings as (

    select * from {{ ref('stg_ads__campaign_mapping') }}

),

mapping_by_id as (

    select
        platform,
        ad_campaign_id,
        account_id,
        utm_campaign
    from mappings
    where matched_by = 'campaign_id'

),

mapping_by_name as (

    select
        platform,
        campaign_name_key,
        account_id,
        utm_campaign
    from mappings
    where matched_by = 'campaign_name'

),

with_mappings as (

    select
        campaign_days.*,
        mapping_by_id.utm_campaign as id_mapped_utm_campaign,
        mapping_by_name.utm_campaign as name_mapped_utm_campaign,
        {{ ads_utm_from_campaign_name('campaign_days.campaign_name') }} as convention_utm_campaign,
        coalesce(mapping_by_id.account_id, mapping_by_name.account_id) as mapped_account_id
    from campaign_days
    left join mapping_by_id
        on mapping_by_id.platform = campaign_days.platform
        and mapping_by_id.ad_campaign_id = campaign_days.ad_campaign_id
    left join mapping_by_name
        on mapping_by_name.platform = campaign_days.platform
        and mapping_by_name.campaign_name_key = lower(trim(campaign_days.campaign_name))

),

resolved as (

    select
        platform,
        coalesce(
            account_id,
            mapped_account_id,
            case platform
                when
                    'google_ads'
                    then {{ "'" ~ google_ads_customer_id ~ "'" if google_ads_customer_id else no_account }}
                when 'meta_ads' then {{ "'" ~ meta_ads_account_id ~ "'" if meta_ads_account_id else no_account }}
            end
        ) as account_id,
        ad_campaign_id,
        campaign_name,
        coalesce(export_utm_campaign, id_mapped_utm_campaign, name_mapped_utm_campaign, convention_utm_campaign)
            as utm_campaign,
        case
            when export_utm_campaign is not null then 'export'
            when id_mapped_utm_campaign is not null then 'mapping_campaign_id'
            when name_mapped_utm_campaign is not null then 'mapping_campaign_name'
            when convention_utm_campaign is not null then 'campaign_name_convention'
        end as utm_campaign_source,
        network,
        report_date,
        impressions,
        clicks,
        cost,
        currency,
        cost_eur,
        conversions,
        conversion_value_eur,
        _loaded_at,
        source_system
    from with_mappings

)

select * from resolved
