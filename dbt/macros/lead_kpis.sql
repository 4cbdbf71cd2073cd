{#-
    Leads generated and lead -> customer conversion per period of the lead's creation day, by
    source channel and campaign: conversion rate = converted leads / leads (conversion within
    var('lead_conversion_window_days')). Leads whose window has not ended yet can still
    convert: leads_with_complete_window says how many are final.
-#}
{% macro lead_kpis(period) -%}
    select
        {{ period_start('created_date_local', period) }} as period_start_date,
        source_channel,
        coalesce(utm_campaign, '(none)') as utm_campaign,
        count(*) as leads_generated,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }}) as converted_leads,
        cast(sum(case when is_window_complete then 1 else 0 end) as {{ dbt.type_bigint() }}) as leads_with_complete_window,
        {{ safe_divide('sum(case when is_converted then 1 else 0 end)', 'count(*)') }} as lead_conversion_rate
    from {{ ref('fct_lead') }}
    group by {{ period_start('created_date_local', period) }}, source_channel, coalesce(utm_campaign, '(none)')
{%- endmacro %}
