{#-
    ROI and ROAS per campaign and attribution model (grain: utm_campaign, attribution_model).
    Attributed conversions and revenue = credits and credited revenue of the touches carrying
    the campaign (fct_attribution_credit); cost = the finance spend lines tagged with the
    campaign (stg_finance__marketing_spend, as mart_campaign_roi). ROI = (attributed revenue -
    cost) / cost; ROAS = attributed revenue / cost; both null without cost and for '(none)'
    (touches without a campaign and unattributed conversions).
-#}

with attributed as (

    select
        attribution_model,
        utm_campaign,
        sum(credit) as attributed_conversions,
        sum(credited_revenue_eur) as attributed_revenue_eur,
        sum(case when is_first_order then credit else 0 end) as attributed_first_orders
    from {{ ref('fct_attribution_credit') }}
    group by attribution_model, utm_campaign

),

model_totals as (

    select
        attribution_model,
        sum(credited_revenue_eur) as revenue_eur
    from {{ ref('fct_attribution_credit') }}
    group by attribution_model

),

costs as (

    select
        utm_campaign,
        sum(amount_eur) as campaign_cost_eur
    from {{ ref('stg_finance__marketing_spend') }}
    where utm_campaign is not null
    group by utm_campaign

),

campaign_models as (

    select
        campaigns.utm_campaign,
        model_totals.attribution_model
    from (
        select utm_campaign from attributed
        union
        select utm_campaign from costs
    ) as campaigns
    cross join model_totals

)

select
    campaign_models.utm_campaign,
    campaign_models.attribution_model,
    campaign_models.attribution_model = '{{ var("attribution_model") }}' as is_default_model,
    coalesce(attributed.attributed_conversions, 0) as attributed_conversions,
    coalesce(attributed.attributed_first_orders, 0) as attributed_first_orders,
    coalesce(attributed.attributed_revenue_eur, 0) as attributed_revenue_eur,
    {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0)', 'model_totals.revenue_eur') }} as revenue_share,
    cast(coalesce(costs.campaign_cost_eur, 0) as {{ type_money() }}) as campaign_cost_eur,
    case
        when campaign_models.utm_campaign = '(none)' then null
        else {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0) - costs.campaign_cost_eur',
            'costs.campaign_cost_eur') }}
    end as roi,
    case
        when campaign_models.utm_campaign = '(none)' then null
        else {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0)', 'costs.campaign_cost_eur') }}
    end as roas
from campaign_models
inner join model_totals on model_totals.attribution_model = campaign_models.attribution_model
left join attributed
    on attributed.utm_campaign = campaign_models.utm_campaign
    and attributed.attribution_model = campaign_models.attribution_model
left join costs on costs.utm_campaign = campaign_models.utm_campaign
