{#-
    Campaign ROI per campaign and attribution model (grain: utm_campaign, attribution_model):
    ROI = (attributed net revenue - campaign cost) / campaign cost, cost = finance spend lines
    tagged with the campaign (media, production, fees). Beside it, the historical CLV of the
    new customers (no relationship before the window) whose first order the campaign won: ROI
    is the snapshot, CLV the film.
    '(none)' collects orders without a campaign; its ROI is null (no campaign cost).
-#}

with attributed as (

    select
        attribution_model,
        utm_campaign,
        max(case when is_default_model then 1 else 0 end) = 1 as is_default_model,
        count(*) as attributed_orders,
        sum(net_revenue_eur) as attributed_revenue_eur,
        count(distinct case when is_new_customer_order then customer_id end) as acquired_customers
    from {{ ref('fct_order_attribution') }}
    group by attribution_model, utm_campaign

),

acquired_value as (

    select
        attributions.attribution_model,
        attributions.utm_campaign,
        avg(clv.historical_clv_eur) as acquired_customers_avg_clv_eur
    from {{ ref('fct_order_attribution') }} as attributions
    inner join {{ ref('mart_customer_lifetime_value') }} as clv on clv.customer_id = attributions.customer_id
    where attributions.is_new_customer_order
    group by attributions.attribution_model, attributions.utm_campaign

),

costs as (

    select
        utm_campaign,
        sum(amount_eur) as campaign_cost_eur,
        min(spend_date) as first_spend_date,
        max(spend_date) as last_spend_date
    from {{ ref('stg_finance__marketing_spend') }}
    where utm_campaign is not null
    group by utm_campaign

),

touch_dates as (

    select
        utm_campaign,
        min(occurred_date_local) as first_touch_date,
        max(occurred_date_local) as last_touch_date
    from {{ ref('fct_customer_touchpoint') }}
    where utm_campaign is not null
    group by utm_campaign

),

models as (

    select 'last_touch' as attribution_model
    union all
    select 'first_touch'

),

campaigns as (

    select utm_campaign from costs
    union
    select utm_campaign from attributed

),

campaign_models as (

    select
        campaigns.utm_campaign,
        models.attribution_model
    from campaigns
    cross join models

)

select
    campaign_models.utm_campaign,
    campaign_models.attribution_model,
    campaign_models.attribution_model = '{{ var("attribution_model") }}' as is_default_model,
    case
        when costs.first_spend_date is null then touch_dates.first_touch_date
        when touch_dates.first_touch_date is null then costs.first_spend_date
        when costs.first_spend_date < touch_dates.first_touch_date then costs.first_spend_date
        else touch_dates.first_touch_date
    end as campaign_start_date,
    case
        when costs.last_spend_date is null then touch_dates.last_touch_date
        when touch_dates.last_touch_date is null then costs.last_spend_date
        when costs.last_spend_date > touch_dates.last_touch_date then costs.last_spend_date
        else touch_dates.last_touch_date
    end as campaign_end_date,
    coalesce(attributed.attributed_orders, 0) as attributed_orders,
    cast(coalesce(attributed.attributed_revenue_eur, 0) as {{ type_money() }}) as attributed_revenue_eur,
    cast(coalesce(costs.campaign_cost_eur, 0) as {{ type_money() }}) as campaign_cost_eur,
    case
        when campaign_models.utm_campaign = '(none)' then null
        else {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0) - costs.campaign_cost_eur',
            'costs.campaign_cost_eur') }}
    end as roi,
    coalesce(attributed.acquired_customers, 0) as acquired_customers,
    acquired_value.acquired_customers_avg_clv_eur
from campaign_models
left join attributed
    on attributed.utm_campaign = campaign_models.utm_campaign
    and attributed.attribution_model = campaign_models.attribution_model
left join acquired_value
    on acquired_value.utm_campaign = campaign_models.utm_campaign
    and acquired_value.attribution_model = campaign_models.attribution_model
left join costs on costs.utm_campaign = campaign_models.utm_campaign
left join touch_dates on touch_dates.utm_campaign = campaign_models.utm_campaign
