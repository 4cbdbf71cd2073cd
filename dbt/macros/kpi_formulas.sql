{#-
    KPI formula helpers shared by the marts, so a rate has one definition however it is
    rolled up. Rates are fractions in [0, 1]; a zero or null denominator gives null,
    never an error and never 0.
-#}

{% macro safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast(({{ numerator }}) as {{ type_double() }}) / ({{ denominator }})
    end
{%- endmacro %}

{#- First day of the period a local date falls in: day, week (ISO, Monday) or month. -#}
{% macro period_start(date_column, period) -%}
    {%- if period == 'day' -%}
        {{ date_column }}
    {%- else -%}
        cast({{ dbt.date_trunc(period, date_column) }} as date)
    {%- endif -%}
{%- endmacro %}

{#-
    Website counting metrics over fct_web_session, grouped by period (day, week, month)
    and any extra dimensions. Every figure is recomputed from sessions: a monthly rate
    is never an average of daily rates, and users are distinct over the whole period.
-#}
{% macro web_session_kpis(period, dimensions=[], incremental=false) -%}
    select
        {{ period_start('session_date_local', period) }} as period_start_date,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        count(*) as sessions,
        count(distinct user_pseudo_id) as users,
        cast(sum(pageview_count) as {{ dbt.type_bigint() }}) as pageviews,
        cast(sum(case when is_engaged then 1 else 0 end) as {{ dbt.type_bigint() }}) as engaged_sessions,
        cast(sum(case when is_bounce then 1 else 0 end) as {{ dbt.type_bigint() }}) as bounced_sessions,
        cast(sum(case when has_conversion then 1 else 0 end) as {{ dbt.type_bigint() }}) as converting_sessions,
        cast(sum(case when is_blog_landing then 1 else 0 end) as {{ dbt.type_bigint() }}) as blog_sessions,
        cast(sum(session_duration_s) as {{ type_seconds() }}) as total_session_duration_s,
        sum(purchase_revenue_eur) as purchase_revenue_eur,
        {{ safe_divide('sum(session_duration_s)', 'count(*)') }} as avg_session_duration_s,
        {{ safe_divide('sum(case when is_bounce then 1 else 0 end)', 'count(*)') }} as bounce_rate,
        {{ safe_divide('sum(case when is_engaged then 1 else 0 end)', 'count(*)') }} as engagement_rate,
        {{ safe_divide('sum(case when has_conversion then 1 else 0 end)', 'count(*)') }} as conversion_rate,
        {{ safe_divide('sum(pageview_count)', 'count(*)') }} as pageviews_per_session
        {%- if incremental %},
        max(last_loaded_at) as last_loaded_at
        {%- endif %}
    from {{ ref('fct_web_session') }}
    {%- if incremental and incremental_with_watermark() %}
    where {{ period_start('session_date_local', period) }} in (
        {{ changed_periods(ref('fct_web_session'), 'session_date_local', period) }}
    )
    {%- endif %}
    group by {{ period_start('session_date_local', period) }}{% for dimension in dimensions %}, {{ dimension }}{% endfor %}
{%- endmacro %}

{#-
    Email / DEM / SMS metrics over fct_email_recipient, grouped by the period of the
    campaign's send day and any extra dimensions. Unique opens and clicks count
    recipients, so an email opened twice counts once. SMS has no opens: open metrics
    are null for it.
-#}
{% macro email_recipient_kpis(period, dimensions=[], incremental=false) -%}
    select
        {{ period_start('sent_date_local', period) }} as period_start_date,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        count(distinct esp_campaign_id) as campaigns,
        cast(sum(case when is_sent then 1 else 0 end) as {{ dbt.type_bigint() }}) as sent,
        cast(sum(case when is_delivered then 1 else 0 end) as {{ dbt.type_bigint() }}) as delivered,
        cast(sum(case when is_opened then 1 when is_opened is null then null else 0 end) as {{ dbt.type_bigint() }}) as unique_opens,
        cast(sum(case when is_clicked then 1 else 0 end) as {{ dbt.type_bigint() }}) as unique_clicks,
        cast(sum(case when is_bounced then 1 else 0 end) as {{ dbt.type_bigint() }}) as bounces,
        cast(sum(case when is_hard_bounced then 1 else 0 end) as {{ dbt.type_bigint() }}) as hard_bounces,
        cast(sum(case when is_unsubscribed then 1 else 0 end) as {{ dbt.type_bigint() }}) as unsubscribes,
        cast(sum(open_count) as {{ dbt.type_bigint() }}) as total_opens,
        cast(sum(click_count) as {{ dbt.type_bigint() }}) as total_clicks,
        {{ safe_divide('sum(case when is_delivered then 1 else 0 end)', 'sum(case when is_sent then 1 else 0 end)') }} as delivery_rate,
        {{ safe_divide('sum(case when is_opened then 1 when is_opened is null then null else 0 end)', 'sum(case when is_sent then 1 else 0 end)') }} as open_rate,
        {{ safe_divide('sum(case when is_opened then 1 when is_opened is null then null else 0 end)', 'sum(case when is_delivered then 1 else 0 end)') }} as open_rate_delivered,
        {{ safe_divide('sum(case when is_clicked then 1 else 0 end)', 'sum(case when is_sent then 1 else 0 end)') }} as click_through_rate,
        {{ safe_divide('sum(case when is_clicked then 1 else 0 end)', 'sum(case when is_opened then 1 when is_opened is null then null else 0 end)') }} as click_to_open_rate,
        {{ safe_divide('sum(case when is_bounced then 1 else 0 end)', 'sum(case when is_sent then 1 else 0 end)') }} as bounce_rate,
        {{ safe_divide('sum(case when is_unsubscribed then 1 else 0 end)', 'sum(case when is_delivered then 1 else 0 end)') }} as unsubscribe_rate
        {%- if incremental %},
        max(last_loaded_at) as last_loaded_at
        {%- endif %}
    from {{ ref('fct_email_recipient') }}
    {%- if incremental and incremental_with_watermark() %}
    where {{ period_start('sent_date_local', period) }} in (
        {{ changed_periods(ref('fct_email_recipient'), 'sent_date_local', period) }}
    )
    {%- endif %}
    group by {{ period_start('sent_date_local', period) }}{% for dimension in dimensions %}, {{ dimension }}{% endfor %}
{%- endmacro %}

{#-
    Commerce metrics over fct_order by period of the order day and extra dimensions:
    orders and revenue exclude cancelled orders; refunds reduce revenue on the day of
    the order they refund; AOV = net revenue / orders (null without orders). New customers:
    first order of a customer without a relationship before the window; returning legacy
    customers (first order of the window of one with such a relationship) are counted apart.
-#}
{% macro order_kpis(period, dimensions=[]) -%}
    select
        {{ period_start('order_date_local', period) }} as period_start_date,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        cast(sum(case when is_cancelled then 0 else 1 end) as {{ dbt.type_bigint() }}) as orders,
        cast(sum(case when is_cancelled then 1 else 0 end) as {{ dbt.type_bigint() }}) as cancelled_orders,
        count(distinct case when not is_cancelled then customer_id end) as customers,
        cast(sum(case when is_new_customer_order then 1 else 0 end) as {{ dbt.type_bigint() }}) as new_customers,
        cast(sum(case when is_first_order and is_legacy_customer then 1 else 0 end) as {{ dbt.type_bigint() }}) as returning_legacy_customers,
        cast(sum(case when is_cancelled then 0 else gross_revenue_eur end) as {{ type_money() }}) as gross_revenue_eur,
        cast(sum(case when is_cancelled then 0 else refunded_eur end) as {{ type_money() }}) as refunds_eur,
        cast(sum(net_revenue_eur) as {{ type_money() }}) as net_revenue_eur,
        {{ safe_divide('sum(net_revenue_eur)', 'sum(case when is_cancelled then 0 else 1 end)') }} as average_order_value_eur,
        {{ safe_divide('sum(case when is_cancelled then 0 else refunded_eur end)', 'sum(case when is_cancelled then 0 else gross_revenue_eur end)') }} as refund_rate
    from {{ ref('fct_order') }}
    group by {{ period_start('order_date_local', period) }}{% for dimension in dimensions %}, {{ dimension }}{% endfor %}
{%- endmacro %}

{#- The earlier / later of two timestamps, ignoring a null one (portable: no least() / greatest() null semantics). -#}
{% macro earliest(first, second) -%}
    {{ non_null_extreme(first, second, '<') }}
{%- endmacro %}

{% macro latest(first, second) -%}
    {{ non_null_extreme(first, second, '>') }}
{%- endmacro %}

{% macro non_null_extreme(first, second, comparison) -%}
    case
        when {{ first }} is null then {{ second }}
        when {{ second }} is null then {{ first }}
        when {{ second }} {{ comparison }} {{ first }} then {{ second }}
        else {{ first }}
    end
{%- endmacro %}


{#-
    For incremental period marts (delete+insert on the period): the periods to recompute =
    periods of the grain rows loaded after the mart's watermark (max last_loaded_at), plus the
    last var('incremental_lookback_days') days before the mart's latest period.
-#}
{% macro changed_periods(grain_relation, date_column, period) -%}
    select distinct {{ period_start('grain.' ~ date_column, period) }}
    from {{ grain_relation }} as grain
    where {{ loaded_or_recent('grain.last_loaded_at', 'grain.' ~ date_column, 'period_start_date') }}
{%- endmacro %}
