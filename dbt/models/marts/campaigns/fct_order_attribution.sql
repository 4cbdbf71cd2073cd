{#-
    Every order not cancelled attributed to one campaign under each attribution model
    (grain: order_id, attribution_model).
    last_touch: the campaign of the website session in which the order was placed (GA4
    purchase event with the order number), else the order's stored UTM campaign.
    first_touch: the campaign of the customer's earliest touchpoint that carries one (ad
    click, visit, email/DEM/SMS, event, lead) up to the order, else as last_touch.
    '(none)' when there is no campaign at all. is_default_model marks var('attribution_model').
-#}

with orders as (

    select * from {{ ref('fct_order') }}
    where not is_cancelled

),

purchase_sessions as (

    select
        purchases.transaction_id as order_number,
        sessions.traffic_campaign,
        sessions.channel_group,
        row_number()
            over (partition by purchases.transaction_id order by purchases.event_at_utc, purchases.event_id)
            as purchase_rank
    from {{ ref('int_web__events') }} as purchases
    inner join {{ ref('fct_web_session') }} as sessions on sessions.session_key = purchases.session_key
    where purchases.event_name = 'purchase'
        -- a session without analytics consent is not tied to the buyer's order (GA4 consent mode)
        and sessions.has_analytics_consent
        and purchases.transaction_id is not null

),

campaign_touches as (

    select
        customer_id,
        occurred_at_utc,
        touchpoint_id,
        utm_campaign,
        {{ touchpoint_marketing_channel('touchpoint_type', 'channel', 'traffic_channel') }} as marketing_channel
    from {{ ref('fct_customer_touchpoint') }}
    where utm_campaign is not null
        and customer_id is not null
        and touchpoint_type <> 'order'

),

first_campaign_touches as (

    select
        orders.order_id,
        campaign_touches.utm_campaign,
        campaign_touches.marketing_channel,
        row_number() over (
            partition by orders.order_id order by campaign_touches.occurred_at_utc, campaign_touches.touchpoint_id
        ) as touch_rank
    from orders
    inner join campaign_touches
        on campaign_touches.customer_id = orders.customer_id
        and campaign_touches.occurred_at_utc <= orders.created_at_utc

),

last_touch as (

    select
        orders.order_id,
        'last_touch' as attribution_model,
        coalesce(purchase_sessions.traffic_campaign, orders.utm_campaign) as utm_campaign,
        case
            when purchase_sessions.traffic_campaign is not null then purchase_sessions.channel_group
            else orders.channel_group
        end as marketing_channel
    from orders
    left join purchase_sessions
        on purchase_sessions.order_number = orders.order_number
        and purchase_sessions.purchase_rank = 1

),

first_touch as (

    select
        last_touch.order_id,
        'first_touch' as attribution_model,
        coalesce(first_campaign_touches.utm_campaign, last_touch.utm_campaign) as utm_campaign,
        coalesce(first_campaign_touches.marketing_channel, last_touch.marketing_channel) as marketing_channel
    from last_touch
    left join first_campaign_touches
        on first_campaign_touches.order_id = last_touch.order_id
        and first_campaign_touches.touch_rank = 1

),

attributions as (

    select * from last_touch
    union all
    select * from first_touch

)

select
    attributions.order_id,
    attributions.attribution_model,
    attributions.attribution_model = '{{ var("attribution_model") }}' as is_default_model,
    coalesce(attributions.utm_campaign, '(none)') as utm_campaign,
    attributions.marketing_channel,
    orders.customer_id,
    orders.order_date_local,
    orders.is_first_order,
    orders.is_new_customer_order,
    cast(orders.net_revenue_eur as {{ type_money() }}) as net_revenue_eur
from attributions
inner join orders on orders.order_id = attributions.order_id
