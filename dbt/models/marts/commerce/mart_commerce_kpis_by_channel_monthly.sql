{#-
    Revenue, orders and AOV net of refunds per month and channel of the order (its stored UTM
    source/medium), with the channel's media spend and ROAS = net revenue / media spend (the cost
    categories of var('roas_cost_categories'), int_kpi__marketing_spend): revenue credited to the
    channel the order came from (its own UTM, i.e. last touch).
-#}

with channel_kpis as (

    {{ order_kpis('month', ['channel_group']) }}

),

media_spend as (

    select
        spend_month,
        channel,
        sum(media_spend_eur) as media_spend_eur
    from {{ ref('int_kpi__marketing_spend') }}
    group by spend_month, channel

)

select
    channel_kpis.*,
    cast(coalesce(media_spend.media_spend_eur, 0) as {{ type_money() }}) as media_spend_eur,
    {{ safe_divide('channel_kpis.net_revenue_eur', 'media_spend.media_spend_eur') }} as roas
from channel_kpis
left join media_spend
    on media_spend.spend_month = channel_kpis.period_start_date
    and media_spend.channel = channel_kpis.channel_group
