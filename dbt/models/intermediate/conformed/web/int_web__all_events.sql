{#-
    Conformed web channel: every tool's website events in one shape, with the tool in
    source_system: GA4 (BigQuery export, stg_ga4__events) and the documented generic CSV
    (stg_web__events). Every event, consent-denied cookieless pings (no user_pseudo_id) included:
    the aggregate KPIs count them; int_web__events, what identity and sessions read, does not.
    Consent (docs/sources/ga4.md, Consent): GA4 privacy_info.analytics_storage / ads_storage are
    'Yes', 'No' or null (consent mode not in use); is_analytics_consent_denied marks the events sent
    with analytics storage denied ('No'), which never link a person (int_identity__observations).
    Amounts are converted to var reporting_currency (EUR) with the fx rate of the event's day.
-#}

{%- set no_string = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
{%- set no_bigint = 'cast(null as ' ~ dbt.type_bigint() ~ ')' %}
{%- set no_boolean = 'cast(null as ' ~ dbt.type_boolean() ~ ')' %}
{%- set no_double = 'cast(null as ' ~ type_double() ~ ')' %}

with ga4 as (

    select
        event_id,
        event_at_utc,
        event_at_local,
        event_date_local,
        ga4_event_date,
        event_name,
        user_pseudo_id,
        user_id,
        ga_session_id,
        session_key,
        ga_session_number,
        page_location,
        page_path,
        page_title,
        page_referrer,
        page_hostname,
        entrances,
        is_referrer_ignored,
        utm_source,
        utm_medium,
        utm_campaign,
        gclid,
        collected_source,
        collected_medium,
        collected_campaign,
        first_touch_source,
        first_touch_medium,
        first_touch_campaign,
        session_source,
        session_medium,
        session_campaign,
        session_default_channel_group,
        engagement_time_msec,
        is_session_engaged_flag,
        true as is_engagement_reported,
        event_value,
        event_currency,
        method,
        form_id,
        device_category,
        operating_system,
        browser,
        device_language,
        geo_country,
        geo_region,
        geo_city,
        transaction_id,
        purchase_revenue,
        refund_value,
        purchase_item_quantity,
        consent_analytics_storage,
        consent_ads_storage,
        is_active_user,
        _source_file,
        _loaded_at,
        'ga4' as source_system
    from {{ ref('stg_ga4__events') }}

),

generic_csv as (

    select
        event_id,
        event_at_utc,
        event_at_local,
        event_date_local,
        event_date_local as ga4_event_date,
        event_name,
        user_pseudo_id,
        user_id,
        ga_session_id,
        session_key,
        {{ no_bigint }} as ga_session_number,
        page_location,
        page_path,
        page_title,
        page_referrer,
        page_hostname,
        {{ no_bigint }} as entrances,
        false as is_referrer_ignored,
        utm_source,
        utm_medium,
        utm_campaign,
        gclid,
        {{ no_string }} as collected_source,
        {{ no_string }} as collected_medium,
        {{ no_string }} as collected_campaign,
        {{ no_string }} as first_touch_source,
        {{ no_string }} as first_touch_medium,
        {{ no_string }} as first_touch_campaign,
        session_source,
        session_medium,
        session_campaign,
        {{ no_string }} as session_default_channel_group,
        engagement_time_msec,
        is_session_engaged_flag,
        is_engagement_reported,
        event_value,
        event_currency,
        {{ no_string }} as method,
        {{ no_string }} as form_id,
        device_category,
        operating_system,
        browser,
        device_language,
        geo_country,
        geo_region,
        geo_city,
        transaction_id,
        purchase_revenue,
        refund_value,
        {{ no_bigint }} as purchase_item_quantity,
        {{ no_string }} as consent_analytics_storage,
        {{ no_string }} as consent_ads_storage,
        {{ no_boolean }} as is_active_user,
        _source_file,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_web__events') }}

),

unioned as (

    select * from ga4
    union all
    select * from generic_csv

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

converted as (

    select
        unioned.*,
        case
            when
                coalesce(unioned.event_currency, '{{ var("reporting_currency") }}') = '{{ var("reporting_currency") }}'
                then 1.0
            else fx_rates.eur_per_unit
        end as eur_per_unit
    from unioned
    left join fx_rates
        on fx_rates.rate_date = unioned.event_date_local
        and fx_rates.currency = unioned.event_currency
        and unioned.event_currency <> '{{ var("reporting_currency") }}'

)

select
    event_id,
    event_at_utc,
    event_at_local,
    event_date_local,
    ga4_event_date,
    event_name,
    user_pseudo_id,
    user_id,
    ga_session_id,
    session_key,
    ga_session_number,
    page_location,
    page_path,
    page_title,
    page_referrer,
    utm_source,
    utm_medium,
    utm_campaign,
    gclid,
    collected_source,
    collected_medium,
    collected_campaign,
    first_touch_source,
    first_touch_medium,
    first_touch_campaign,
    engagement_time_msec,
    is_session_engaged_flag,
    event_value,
    event_currency,
    method,
    form_id,
    device_category,
    operating_system,
    browser,
    device_language,
    geo_country,
    geo_region,
    geo_city,
    transaction_id,
    round(cast(purchase_revenue * eur_per_unit as {{ type_double() }}), 2) as purchase_revenue_eur,
    purchase_item_quantity,
    page_hostname,
    entrances,
    is_referrer_ignored,
    session_source,
    session_medium,
    session_campaign,
    session_default_channel_group,
    is_engagement_reported,
    purchase_revenue,
    refund_value,
    round(cast(refund_value * eur_per_unit as {{ type_double() }}), 2) as refund_value_eur,
    consent_analytics_storage,
    consent_ads_storage,
    coalesce(lower(consent_analytics_storage) = 'no', false) as is_analytics_consent_denied,
    user_pseudo_id is null as is_cookieless,
    is_active_user,
    _source_file,
    _loaded_at,
    source_system
from converted
