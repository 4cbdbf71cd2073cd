{#-
    Campaign results (grain: utm_campaign): contacts reached = identified customers with any
    touchpoint of the campaign other than an order (message sent, visit or ad click with its
    UTM, event registration, lead); contacts converted = reached contacts whose first order
    came at or after their first touch by the campaign; revenue = net revenue of the orders
    those converted contacts placed from that touch on. Reached contacts' revenue counts
    every order of every reached contact from their first touch on (existing customers too).
    A contact reached by two campaigns counts in both: these are results, not attribution.
-#}

with reached as (

    select
        utm_campaign,
        customer_id,
        min(occurred_at_utc) as first_reached_at_utc
    from {{ ref('fct_customer_touchpoint') }}
    where utm_campaign is not null
        and customer_id is not null
        and is_identified_customer
        and touchpoint_type <> 'order'
    group by utm_campaign, customer_id

),

first_orders as (

    select
        customer_id,
        first_order_at_utc
    from {{ ref('int_kpi__customer_acquisition') }}
    where first_order_at_utc is not null

),

reached_orders as (

    select
        reached.utm_campaign,
        reached.customer_id,
        first_orders.first_order_at_utc >= reached.first_reached_at_utc as is_converted,
        orders.net_revenue_eur
    from reached
    left join first_orders on first_orders.customer_id = reached.customer_id
    left join {{ ref('fct_order') }} as orders
        on orders.customer_id = reached.customer_id
        and not orders.is_cancelled
        and orders.created_at_utc >= reached.first_reached_at_utc

)

select
    utm_campaign,
    count(distinct customer_id) as contacts_reached,
    count(distinct case when is_converted then customer_id end) as contacts_converted,
    {{ safe_divide('count(distinct case when is_converted then customer_id end)', 'count(distinct customer_id)') }}
        as contact_conversion_rate,
    cast(coalesce(sum(case when is_converted then net_revenue_eur end), 0) as {{ type_money() }})
        as converted_contacts_revenue_eur,
    cast(coalesce(sum(net_revenue_eur), 0) as {{ type_money() }}) as reached_contacts_revenue_eur
from reached_orders
group by utm_campaign
