{#-
    GA4 BigQuery export events: one copy of each exported event, flattened.

    Which raw rows count (the export's table rules, per table day):
    * a newer load of a table replaces the older one: of every BigQuery table (export_table) only
      the rows of its latest load are kept (a table re-extracted after GA4 added late events is
      delivered whole, every shard);
    * within that load, if the folder held two extracts of the table (e.g. a single file and a
      wildcard export), the one with the most rows wins: GA4 only adds events to a daily table;
    * a daily table replaces the intraday (streaming) table of its day, whenever either was loaded;
    * exact duplicates of one event within the kept rows (streaming duplicates) count once.

    Incremental (delete+insert by export_date, the table's day): a run rebuilds, from all their
    raw rows, the days with a row loaded since the last build or dated in the lookback window;
    every other day is unchanged, so the table equals a full refresh.
-#}

{{ config(materialized='incremental', unique_key='export_date',
    incremental_strategy=incremental_replace_strategy(partitioned=true), partition_by=incremental_partition_by('export_date'),
    on_schema_change='sync_all_columns') }}

{%- set table_day = dbt.right('export_table', 8) %}

with source_rows as (

    select
        *,
        {{ yyyymmdd_to_date(table_day) }} as export_date,
        export_table like 'events_intraday_%' as is_intraday,
        -- the extract a file belongs to: the file name with its shard number as the wildcard
        {{ regexp_replace_all('_source_file', '-[0-9]{12}[.]', '-*.') }} as export_extract
    from {{ source('ga4', 'events') }}
    {%- if incremental_with_watermark('_loaded_at') %}
        where {{ table_day }} in (
                select {{ dbt.right('new_rows.export_table', 8) }}
                from {{ source('ga4', 'events') }} as new_rows
                where {{ loaded_or_recent('new_rows._loaded_at',
                    yyyymmdd_to_date(dbt.right('new_rows.export_table', 8)), 'export_date', '_loaded_at') }}
            )
    {%- endif %}

),

table_loads as (

    select
        export_table,
        max(_loaded_at) as latest_loaded_at
    from source_rows
    group by export_table

),

latest_load_rows as (

    select source_rows.*
    from source_rows
    inner join table_loads
        on table_loads.export_table = source_rows.export_table
        and table_loads.latest_loaded_at = source_rows._loaded_at

),

ranked_extracts as (

    select
        export_table,
        export_extract,
        row_number() over (partition by export_table order by count(*) desc, export_extract desc) as extract_rank
    from latest_load_rows
    group by export_table, export_extract

),

daily_table_days as (

    select distinct export_date
    from source_rows
    where not is_intraday

),

kept_rows as (

    select latest_load_rows.*
    from latest_load_rows
    inner join ranked_extracts
        on ranked_extracts.export_table = latest_load_rows.export_table
        and ranked_extracts.export_extract = latest_load_rows.export_extract
        and ranked_extracts.extract_rank = 1
    where not (
            latest_load_rows.is_intraday
            and latest_load_rows.export_date in (select daily_table_days.export_date from daily_table_days)
        )

),

flattened as (

    select
        kept_rows.event_timestamp as event_timestamp_us,
        {{ epoch_us_to_timestamp('event_timestamp') }} as event_at_utc,
        {{ yyyymmdd_to_date('event_date') }} as ga4_event_date,
        lower(event_name) as event_name,
        nullif(trim(user_pseudo_id), '') as user_pseudo_id,
        nullif(trim(user_id), '') as user_id,
        {{ ga4_event_param('event_params', 'ga_session_id', 'int') }} as ga_session_id,
        {{ ga4_event_param('event_params', 'ga_session_number', 'int') }} as ga_session_number,
        {{ ga4_event_param('event_params', 'page_location') }} as page_location,
        {{ ga4_event_param('event_params', 'page_title') }} as page_title,
        {{ ga4_event_param('event_params', 'page_referrer') }} as page_referrer,
        {{ ga4_event_param('event_params', 'entrances', 'int') }} as entrances,
        {{ ga4_event_param('event_params', 'engagement_time_msec', 'int') }} as engagement_time_msec,
        {{ ga4_event_param('event_params', 'session_engaged') }} as session_engaged_param,
        {{ ga4_event_param('event_params', 'ignore_referrer') }} as ignore_referrer_param,
        {{ ga4_event_param('event_params', 'value', 'number') }} as event_value,
        {{ ga4_event_param('event_params', 'currency') }} as event_currency,
        {{ ga4_event_param('event_params', 'transaction_id') }} as transaction_id_param,
        {{ ga4_event_param('event_params', 'method') }} as method,
        {{ ga4_event_param('event_params', 'form_id') }} as form_id,
        device.category as device_category,
        device.operating_system,
        coalesce(device.web_info.browser, device.browser) as browser,
        device.language as device_language,
        device.web_info.hostname as page_hostname,
        geo.country as geo_country,
        geo.region as geo_region,
        geo.city as geo_city,
        traffic_source.source as first_touch_source,
        traffic_source.medium as first_touch_medium,
        traffic_source.name as first_touch_campaign,
        collected_traffic_source.manual_source as collected_source,
        collected_traffic_source.manual_medium as collected_medium,
        collected_traffic_source.manual_campaign_name as collected_campaign,
        collected_traffic_source.manual_content as collected_content,
        collected_traffic_source.manual_term as collected_term,
        collected_traffic_source.gclid as collected_gclid,
        session_traffic_source_last_click.cross_channel_campaign.source as last_click_cross_channel_source,
        session_traffic_source_last_click.cross_channel_campaign.medium as last_click_cross_channel_medium,
        session_traffic_source_last_click.cross_channel_campaign.campaign_name as last_click_cross_channel_campaign,
        session_traffic_source_last_click.cross_channel_campaign.campaign_id as last_click_cross_channel_campaign_id,
        session_traffic_source_last_click.cross_channel_campaign.default_channel_group as last_click_channel_group,
        session_traffic_source_last_click.manual_campaign.source as last_click_manual_source,
        session_traffic_source_last_click.manual_campaign.medium as last_click_manual_medium,
        session_traffic_source_last_click.manual_campaign.campaign_name as last_click_manual_campaign,
        session_traffic_source_last_click.manual_campaign.campaign_id as last_click_manual_campaign_id,
        session_traffic_source_last_click.google_ads_campaign.campaign_name as last_click_google_ads_campaign,
        session_traffic_source_last_click.google_ads_campaign.campaign_id as last_click_google_ads_campaign_id,
        privacy_info.analytics_storage as consent_analytics_storage,
        privacy_info.ads_storage as consent_ads_storage,
        kept_rows.is_active_user,
        ecommerce.transaction_id as ecommerce_transaction_id,
        ecommerce.purchase_revenue,
        ecommerce.refund_value,
        ecommerce.total_item_quantity,
        ecommerce.tax_value,
        ecommerce.shipping_value,
        kept_rows.stream_id,
        kept_rows.platform,
        kept_rows.batch_page_id,
        kept_rows.batch_ordering_id,
        kept_rows.batch_event_index,
        kept_rows.export_table,
        kept_rows.export_date,
        kept_rows.is_intraday,
        kept_rows._source_file,
        kept_rows._source_row,
        kept_rows._loaded_at
    from kept_rows

),

deduplicated as (

-- identical events within the kept rows (streaming duplicates) count once
    {{ deduplicate(
        'flattened',
        'user_pseudo_id, event_timestamp_us, event_name, ga_session_id, page_location, batch_page_id, batch_ordering_id, batch_event_index',
        '_source_file, _source_row'
    ) }}

),

renamed as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(user_pseudo_id, '')", "'|'", 'cast(event_timestamp_us as ' ~ dbt.type_string() ~ ')',
            "'|'", 'event_name', "'|'", "coalesce(cast(ga_session_id as " ~ dbt.type_string() ~ "), '')",
            "'|'", "coalesce(page_location, '')",
            "'|'", "coalesce(cast(batch_page_id as " ~ dbt.type_string() ~ "), '')",
            "'|'", "coalesce(cast(batch_ordering_id as " ~ dbt.type_string() ~ "), '')",
            "'|'", "coalesce(cast(batch_event_index as " ~ dbt.type_string() ~ "), '')"
        ])) }} as event_id,
        event_at_utc,
        {{ utc_to_local('event_at_utc') }} as event_at_local,
        cast({{ utc_to_local('event_at_utc') }} as date) as event_date_local,
        ga4_event_date,
        event_name,
        user_pseudo_id,
        user_id,
        ga_session_id,
        case
            when user_pseudo_id is not null and ga_session_id is not null
                then user_pseudo_id || '.' || cast(ga_session_id as {{ dbt.type_string() }})
        end as session_key,
        ga_session_number,
        page_location,
        nullif(regexp_extract(page_location, '^[a-z]+://[^/?#]+(/[^?#]*)', 1), '') as page_path,
        page_title,
        page_referrer,
        coalesce(lower(page_hostname), lower(regexp_extract(page_location, '^[a-z]+://([^/:?#]+)', 1)))
            as page_hostname,
        entrances,
        coalesce(lower(ignore_referrer_param) = 'true', false) as is_referrer_ignored,
        lower({{ url_parameter('page_location', 'utm_source') }}) as utm_source,
        lower({{ url_parameter('page_location', 'utm_medium') }}) as utm_medium,
        lower({{ url_parameter('page_location', 'utm_campaign') }}) as utm_campaign,
        coalesce(collected_gclid, {{ url_parameter('page_location', 'gclid') }}) as gclid,
        lower(collected_source) as collected_source,
        lower(collected_medium) as collected_medium,
        lower(collected_campaign) as collected_campaign,
        lower(collected_content) as collected_content,
        lower(collected_term) as collected_term,
        lower(first_touch_source) as first_touch_source,
        lower(first_touch_medium) as first_touch_medium,
        lower(first_touch_campaign) as first_touch_campaign,
        lower(coalesce(
            last_click_cross_channel_source,
            last_click_manual_source,
            case
                when
                    coalesce(last_click_google_ads_campaign_id, last_click_google_ads_campaign) is not null
                    then 'google'
            end
        )) as session_source,
        lower(coalesce(
            last_click_cross_channel_medium,
            last_click_manual_medium,
            case
                when coalesce(last_click_google_ads_campaign_id, last_click_google_ads_campaign) is not null then 'cpc'
            end
        )) as session_medium,
        lower(coalesce(last_click_cross_channel_campaign, last_click_manual_campaign, last_click_google_ads_campaign))
            as session_campaign,
        coalesce(
            last_click_cross_channel_campaign_id, last_click_manual_campaign_id, last_click_google_ads_campaign_id
        ) as session_campaign_id,
        last_click_channel_group as session_default_channel_group,
        engagement_time_msec,
        coalesce(session_engaged_param = '1', false) as is_session_engaged_flag,
        session_engaged_param as session_engaged,
        event_value,
        upper(event_currency) as event_currency,
        method,
        form_id,
        lower(device_category) as device_category,
        operating_system,
        browser,
        device_language,
        geo_country,
        geo_region,
        geo_city,
        nullif(coalesce(ecommerce_transaction_id, transaction_id_param), '(not set)') as transaction_id,
        purchase_revenue,
        refund_value,
        case when event_name = 'purchase' then total_item_quantity end as purchase_item_quantity,
        total_item_quantity,
        tax_value,
        shipping_value,
        consent_analytics_storage,
        consent_ads_storage,
        is_active_user,
        stream_id,
        platform,
        export_table,
        export_date,
        is_intraday,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
