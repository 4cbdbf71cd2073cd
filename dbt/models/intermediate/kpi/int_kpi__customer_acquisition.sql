{#-
    One row per customer with at least one marketing touchpoint or order (grain: customer_id):
    the first-touch acquisition channel and campaign, and the first order. The first touch is
    the earliest touchpoint that carries a marketing channel (web visit or ad click by its
    source/medium, email/DEM/SMS event, social comment or mention, event registration, lead by
    its source, order by its UTM); page views, list changes, surveys and reviews carry none.
-#}

with marketing_touches as (

    select
        customer_id,
        touchpoint_id,
        occurred_at_utc,
        utm_campaign,
        {{ touchpoint_marketing_channel('touchpoint_type', 'channel', 'traffic_channel') }} as marketing_channel
    from {{ ref('fct_customer_touchpoint') }}
    where customer_id is not null

),

ranked_touches as (

    select
        marketing_touches.*,
        row_number() over (partition by customer_id order by occurred_at_utc, touchpoint_id) as touch_rank
    from marketing_touches
    where marketing_channel is not null

),

first_orders as (

    select
        customer_id,
        min(created_at_utc) as first_order_at_utc,
        min(order_date_local) as first_order_date_local,
        count(*) as orders
    from {{ ref('fct_order') }}
    where not is_cancelled
    group by customer_id

),

customers as (

    select customer_id from ranked_touches where touch_rank = 1
    union
    select customer_id from first_orders

)

select
    customers.customer_id,
    coalesce(ranked_touches.marketing_channel, 'unknown') as acquisition_channel,
    ranked_touches.utm_campaign as acquisition_campaign,
    ranked_touches.occurred_at_utc as first_touch_at_utc,
    first_orders.first_order_at_utc,
    first_orders.first_order_date_local,
    {{ period_start('first_orders.first_order_date_local', 'month') }} as first_order_month,
    coalesce(first_orders.orders, 0) as orders
from customers
left join ranked_touches
    on ranked_touches.customer_id = customers.customer_id
    and ranked_touches.touch_rank = 1
left join first_orders on first_orders.customer_id = customers.customer_id
