{#-
    Conversion paths (grain: order_id, touchpoint_id): every order not cancelled (the
    conversion) with the touches of its customer that came before it, after the customer's
    previous order (a conversion closes its path) and within var('attribution_lookback_days')
    days; touches are those of fct_attribution_touch. An order without any such touch falls back on
    the order's own touchpoint (touchpoint_type 'order': the channel group and UTM campaign the shop
    recorded, the catalogue's "else the UTM of the order"), as its only touch at the order time.
    Orders without either appear once with a null touchpoint_id (path_length 0): every attribution
    model leaves them unattributed.
-#}

with orders as (

    select
        order_id,
        customer_id,
        created_at_utc,
        order_date_local,
        is_first_order,
        net_revenue_eur,
        lag(created_at_utc) over (partition by customer_id order by created_at_utc, order_id) as previous_order_at_utc
    from {{ ref('fct_order') }}
    where not is_cancelled

),

touches as (

    select * from {{ ref('fct_attribution_touch') }}

),

path_touches as (

    select
        orders.order_id,
        touches.touchpoint_id,
        touches.touchpoint_type,
        touches.touched_at_utc,
        touches.marketing_channel,
        touches.utm_campaign,
        cast({{ dbt.datediff('touches.touched_at_utc', 'orders.created_at_utc', 'second') }} as {{ type_double() }}) / 86400.0  -- noqa: LT05
            as days_before_conversion
    from orders
    inner join touches
        on touches.customer_id = orders.customer_id
        and touches.touched_at_utc <= orders.created_at_utc
        and touches.touched_at_utc
        >= {{ dbt.dateadd('day', -1 * var('attribution_lookback_days'), 'orders.created_at_utc') }}
        and (orders.previous_order_at_utc is null or touches.touched_at_utc > orders.previous_order_at_utc)

),

order_touches as (

    -- the order's own touchpoint (shop-recorded channel and campaign), for orders without a touch
    select
        orders.order_id,
        order_touchpoints.touchpoint_id,
        order_touchpoints.touchpoint_type,
        orders.created_at_utc as touched_at_utc,
        {{ touchpoint_marketing_channel('order_touchpoints.touchpoint_type', 'order_touchpoints.channel',
            'order_touchpoints.traffic_channel') }}
            as marketing_channel,
        coalesce(order_touchpoints.utm_campaign, '(none)') as utm_campaign,
        cast(0 as {{ type_double() }}) as days_before_conversion
    from orders
    inner join {{ ref('fct_customer_touchpoint') }} as order_touchpoints
        on order_touchpoints.source_record_id = orders.order_id
        and order_touchpoints.touchpoint_type = 'order'
    where not exists (
            select 1 from path_touches
            where path_touches.order_id = orders.order_id
        )

),

all_path_touches as (

    select * from path_touches
    union all
    select * from order_touches

),

positioned as (

    select
        all_path_touches.*,
        row_number()
            over (
                partition by all_path_touches.order_id
                order by all_path_touches.touched_at_utc, all_path_touches.touchpoint_id
            )
            as touch_position,
        count(*) over (partition by all_path_touches.order_id) as path_length
    from all_path_touches

)

select
    orders.order_id,
    orders.customer_id,
    orders.created_at_utc as converted_at_utc,
    orders.order_date_local,
    orders.is_first_order,
    cast(orders.net_revenue_eur as {{ type_money() }}) as net_revenue_eur,
    positioned.touchpoint_id,
    positioned.touchpoint_type,
    positioned.touched_at_utc,
    positioned.marketing_channel,
    positioned.utm_campaign,
    positioned.days_before_conversion,
    positioned.touch_position,
    coalesce(positioned.path_length, 0) as path_length
from orders
left join positioned on positioned.order_id = orders.order_id
