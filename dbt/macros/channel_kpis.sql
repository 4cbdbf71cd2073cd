{#-
    Counting metrics of the social, SEO and paid-media channels, grouped by period (day,
    week, month) and recomputed from the grain below, so a rate of a month is never an
    average of daily rates.
-#}

{#-
    Social pages per period and platform. Page-day insights give fan base (followers at the
    end of the period's last reported day), follower growth (followers end - followers at the
    end of the day before the period; null when that day is not in the data) and page reach /
    impressions (sums of the daily figures: page-days, not unique people). Posts count on
    their publication day with their lifetime insights: engagement = reactions + comments +
    shares + saves + link clicks, engagement rate = engagement / post reach.
-#}
{% macro social_kpis(period) -%}
with page_days as (

    select
        platform,
        insight_date,
        {{ period_start('insight_date', period) }} as period_start_date,
        sum(followers_end_of_day) as followers_end_of_day,
        sum(follows) as follows,
        sum(unfollows) as unfollows,
        sum(reach) as reach,
        sum(impressions) as impressions
    from {{ ref('int_social__page_insights') }}
    group by platform, insight_date

),

page_periods as (

    select
        platform,
        period_start_date,
        max(insight_date) as last_reported_date,
        sum(follows) as follows,
        sum(unfollows) as unfollows,
        sum(reach) as page_reach,
        sum(impressions) as page_impressions
    from page_days
    group by platform, period_start_date

),

post_periods as (

    select
        platform,
        {{ period_start('published_date_local', period) }} as period_start_date,
        count(*) as posts,
        sum(reach) as post_reach,
        sum(impressions) as post_impressions,
        sum(reactions) as reactions,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(saves) as saves,
        sum(link_clicks) as link_clicks,
        sum(reactions + comments + shares + saves + link_clicks) as engagement
    from {{ ref('int_social__posts') }}
    group by platform, {{ period_start('published_date_local', period) }}

),

period_keys as (

    select platform, period_start_date from page_periods
    union
    select platform, period_start_date from post_periods

)

select
    period_keys.period_start_date,
    period_keys.platform,
    cast(period_end_day.followers_end_of_day as {{ dbt.type_bigint() }}) as followers_end,
    cast(previous_day.followers_end_of_day as {{ dbt.type_bigint() }}) as followers_start,
    cast(period_end_day.followers_end_of_day - previous_day.followers_end_of_day as {{ dbt.type_bigint() }}) as follower_growth,
    cast(coalesce(page_periods.follows, 0) as {{ dbt.type_bigint() }}) as follows,
    cast(coalesce(page_periods.unfollows, 0) as {{ dbt.type_bigint() }}) as unfollows,
    cast(coalesce(page_periods.page_reach, 0) as {{ dbt.type_bigint() }}) as page_reach,
    cast(coalesce(page_periods.page_impressions, 0) as {{ dbt.type_bigint() }}) as page_impressions,
    coalesce(post_periods.posts, 0) as posts,
    cast(coalesce(post_periods.post_reach, 0) as {{ dbt.type_bigint() }}) as post_reach,
    cast(coalesce(post_periods.post_impressions, 0) as {{ dbt.type_bigint() }}) as post_impressions,
    cast(coalesce(post_periods.reactions, 0) as {{ dbt.type_bigint() }}) as reactions,
    cast(coalesce(post_periods.comments, 0) as {{ dbt.type_bigint() }}) as comments,
    cast(coalesce(post_periods.shares, 0) as {{ dbt.type_bigint() }}) as shares,
    cast(coalesce(post_periods.saves, 0) as {{ dbt.type_bigint() }}) as saves,
    cast(coalesce(post_periods.link_clicks, 0) as {{ dbt.type_bigint() }}) as link_clicks,
    cast(coalesce(post_periods.engagement, 0) as {{ dbt.type_bigint() }}) as engagement,
    {{ safe_divide('post_periods.engagement', 'post_periods.post_reach') }} as engagement_rate
from period_keys
left join page_periods
    on page_periods.platform = period_keys.platform
    and page_periods.period_start_date = period_keys.period_start_date
left join post_periods
    on post_periods.platform = period_keys.platform
    and post_periods.period_start_date = period_keys.period_start_date
left join page_days as period_end_day
    on period_end_day.platform = period_keys.platform
    and period_end_day.insight_date = page_periods.last_reported_date
left join page_days as previous_day
    on previous_day.platform = period_keys.platform
    and previous_day.insight_date = cast({{ dbt.dateadd('day', -1, 'period_keys.period_start_date') }} as date)
{%- endmacro %}

{#-
    Organic search (Search Console bulk export) per period and extra dimensions:
    CTR = clicks / impressions; average position = sum(sum_top_position) / impressions + 1
    (the export's zero-based, impression-weighted top position).
-#}
{% macro seo_kpis(period, dimensions=[]) -%}
    select
        {{ period_start('search_date', period) }} as period_start_date,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        cast(sum(impressions) as {{ dbt.type_bigint() }}) as impressions,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        sum(sum_top_position) as sum_top_position,
        {{ safe_divide('sum(clicks)', 'sum(impressions)') }} as click_through_rate,
        {{ safe_divide('sum(sum_top_position)', 'sum(impressions)') }} + 1 as average_position
    from {{ ref('int_seo__search_performance') }}
    group by {{ period_start('search_date', period) }}{% for dimension in dimensions %}, {{ dimension }}{% endfor %}
{%- endmacro %}

{#-
    SEM / display per period and extra dimensions, cost in EUR: CTR = clicks / impressions,
    CPC = cost / clicks, CPA = cost / conversions, ROAS = conversion value / cost; a zero
    denominator gives null.
-#}
{% macro paid_media_kpis(period, dimensions=[]) -%}
    select
        {{ period_start('report_date', period) }} as period_start_date,
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        cast(sum(impressions) as {{ dbt.type_bigint() }}) as impressions,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        cast(sum(cost_eur) as {{ type_money() }}) as cost_eur,
        sum(conversions) as conversions,
        cast(sum(conversion_value_eur) as {{ type_money() }}) as conversion_value_eur,
        {{ safe_divide('sum(clicks)', 'sum(impressions)') }} as click_through_rate,
        {{ safe_divide('sum(cost_eur)', 'sum(clicks)') }} as cost_per_click_eur,
        {{ safe_divide('sum(cost_eur)', 'sum(conversions)') }} as cost_per_acquisition_eur,
        {{ safe_divide('sum(conversion_value_eur)', 'sum(cost_eur)') }} as return_on_ad_spend
    from {{ ref('int_ads__campaign_daily') }}
    group by {{ period_start('report_date', period) }}{% for dimension in dimensions %}, {{ dimension }}{% endfor %}
{%- endmacro %}
