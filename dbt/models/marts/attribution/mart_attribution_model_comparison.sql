{#-
    The attribution models side by side (grain: attribution_model): conversions and revenue
    (the same in every model, credits sum to 1 per conversion), the revenue each model credits
    to a touch (attributed) and the revenue it leaves unattributed (conversions without a touch it
    can credit), the revenue credited to touches without a campaign (campaign '(none)', including
    the unattributed), and the channel and campaign each model credits most (ties by name). Shares are fractions
    of the model's revenue.
-#}

with credits as (

    select * from {{ ref('fct_attribution_credit') }}

),

totals as (

    select
        attribution_model,
        count(distinct order_id) as conversions,
        sum(credited_revenue_eur) as revenue_eur,
        sum(case when is_attributed then credited_revenue_eur else 0 end) as attributed_revenue_eur,
        sum(case when is_attributed then 0 else credited_revenue_eur end) as unattributed_revenue_eur,
        sum(case when is_attributed then 0 else credit end) as unattributed_conversions,
        sum(case when utm_campaign = '(none)' then credited_revenue_eur else 0 end) as no_campaign_revenue_eur
    from credits
    group by attribution_model

),

channel_revenue as (

    select
        attribution_model,
        marketing_channel,
        sum(credited_revenue_eur) as revenue_eur,
        row_number()
            over (partition by attribution_model order by sum(credited_revenue_eur) desc, marketing_channel)
            as revenue_rank
    from credits
    where is_attributed and credit > 0
    group by attribution_model, marketing_channel

),

campaign_revenue as (

    select
        attribution_model,
        utm_campaign,
        sum(credited_revenue_eur) as revenue_eur,
        row_number()
            over (partition by attribution_model order by sum(credited_revenue_eur) desc, utm_campaign)
            as revenue_rank
    from credits
    where utm_campaign <> '(none)' and credit > 0
    group by attribution_model, utm_campaign

)

select
    totals.attribution_model,
    totals.attribution_model = '{{ var("attribution_model") }}' as is_default_model,
    totals.conversions,
    totals.revenue_eur,
    totals.attributed_revenue_eur,
    totals.unattributed_conversions,
    totals.unattributed_revenue_eur,
    {{ safe_divide('totals.unattributed_revenue_eur', 'totals.revenue_eur') }} as unattributed_revenue_share,
    totals.no_campaign_revenue_eur,
    {{ safe_divide('totals.no_campaign_revenue_eur', 'totals.revenue_eur') }} as no_campaign_revenue_share,
    top_channels.marketing_channel as top_channel,
    top_channels.revenue_eur as top_channel_revenue_eur,
    {{ safe_divide('top_channels.revenue_eur', 'totals.revenue_eur') }} as top_channel_revenue_share,
    top_campaigns.utm_campaign as top_campaign,
    top_campaigns.revenue_eur as top_campaign_revenue_eur,
    {{ safe_divide('top_campaigns.revenue_eur', 'totals.revenue_eur') }} as top_campaign_revenue_share
from totals
left join channel_revenue as top_channels
    on top_channels.attribution_model = totals.attribution_model
    and top_channels.revenue_rank = 1
left join campaign_revenue as top_campaigns
    on top_campaigns.attribution_model = totals.attribution_model
    and top_campaigns.revenue_rank = 1
