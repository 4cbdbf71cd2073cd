{#-
    Marketing spend per day, marketing channel and cost category (grain: spend_date, channel,
    cost_category), from the finance spend lines (the book of record: the ad platforms' media
    cost is in it line by line). cost_category: var('spend_platform_categories') for the line's
    platform, else var('spend_cost_type_categories') for its cost_type, else the cost_type itself
    (an unmapped type stays visible, and an accepted_values test fails on it). Channel: the finance
    channel mapped onto the acquisition taxonomy (spend_marketing_channel). acquisition_spend_eur =
    the spend of the categories in var('cac_cost_categories') (CAC), media_spend_eur of those in
    var('roas_cost_categories') (ROAS).
-#}

{%- set platform_categories = var('spend_platform_categories', {}) %}
{%- set cost_type_categories = var('spend_cost_type_categories', {}) %}

with spend_lines as (

    select
        spend_date,
        {{ spend_marketing_channel('channel') }} as channel,
        case
            {%- for platform, category in platform_categories.items() %}
                when platform = '{{ platform | lower }}' then '{{ category }}'
            {%- endfor %}
            {%- for cost_type, category in cost_type_categories.items() %}
                when cost_type = '{{ cost_type | lower }}' then '{{ category }}'
            {%- endfor %}
            else cost_type
        end as cost_category,
        amount_eur
    from {{ ref('stg_finance__marketing_spend') }}

),

daily as (

    select
        spend_date,
        channel,
        cost_category,
        sum(amount_eur) as spend_eur,
        count(*) as spend_lines
    from spend_lines
    group by spend_date, channel, cost_category

)

select
    spend_date,
    {{ period_start('spend_date', 'month') }} as spend_month,
    channel,
    cost_category,
    spend_eur,
    case
        when
            cost_category in (
                '{{ var("cac_cost_categories") | join("', '") }}'  -- noqa: LT05
            )
            then spend_eur else
            0
    end
        as acquisition_spend_eur,
    case when cost_category in ('{{ var("roas_cost_categories") | join("', '") }}') then spend_eur else 0 end
        as media_spend_eur,
    cost_category in (
        '{{ var("cac_cost_categories") | join("', '") }}'  -- noqa: LT05
    )
        as is_acquisition_spend,
    spend_lines
from daily
