{#-
    One row per shop order with its customer, refunds and net revenue. Refunds count
    against the order they refund (on the order's day), so net revenue and AOV describe
    the orders of a period. Cancelled orders are kept, flagged, and count for nothing.
-#}

{#- the order itself last: with a shared account/email/phone it resolves to its own evidence (its GA4 purchase device)
    or to a customer of its own -#}
{%- set order_identifiers = shop_order_identifiers() %}

with refunds as (

    select
        order_id,
        count(*) as refund_count,
        sum(amount_eur) as refunded_eur
    from {{ ref('int_commerce__refunds') }}
    group by order_id

),

orders as (

    select
        orders.*,
        {{ customer_pick(order_identifiers) }} as customer_id
    from {{ ref('int_commerce__orders') }} as orders
    {{ customer_joins(order_identifiers) }}

),

enriched as (

    select
        orders.order_id,
        orders.order_number,
        orders.customer_id,
        orders.created_at_utc,
        orders.order_date_local,
        orders.currency,
        orders.is_cancelled,
        cast(orders.total_eur as {{ type_money() }}) as gross_revenue_eur,
        cast(coalesce(refunds.refunded_eur, 0) as {{ type_money() }}) as refunded_eur,
        coalesce(refunds.refund_count, 0) as refund_count,
        cast(orders.discount_total_eur as {{ type_money() }}) as discount_total_eur,
        orders.coupon_code,
        orders.utm_source,
        orders.utm_medium,
        orders.utm_campaign,
        {{ channel_group('orders.utm_source', 'orders.utm_medium') }} as channel_group,
        orders.billing_country_code
    from orders
    left join refunds on refunds.order_id = orders.order_id

),

ranked as (

    select
        enriched.*,
        cast(
            case
                when enriched.is_cancelled then 0 else greatest(enriched.gross_revenue_eur - enriched.refunded_eur, 0)
            end as {{ type_money() }}
        )
            as net_revenue_eur,
        not enriched.is_cancelled and row_number() over (
            partition by enriched.customer_id, enriched.is_cancelled order by enriched.created_at_utc, enriched.order_id
        ) = 1 as is_first_order
    from enriched

)

select
    ranked.*,
    coalesce(acquisition.is_legacy_customer, false) as is_legacy_customer,
    ranked.is_first_order and not coalesce(acquisition.is_legacy_customer, false) as is_new_customer_order
from ranked
left join {{ ref('int_acquisition__customers') }} as acquisition on acquisition.customer_id = ranked.customer_id
