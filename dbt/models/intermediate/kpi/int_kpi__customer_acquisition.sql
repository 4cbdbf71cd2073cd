{#-
    One row per customer with at least one marketing touchpoint, order or CRM / list record
    (grain: customer_id): new vs returning legacy customer, the first-touch acquisition channel
    and campaign, and the first order. The rules live in int_acquisition__customers (unified-customer
    layer, so dim_customer and fct_order carry them); this is the KPI marts' interface to them.
-#}

select
    customer_id,
    is_legacy_customer,
    is_new_customer,
    acquisition_channel,
    acquisition_campaign,
    first_touch_channel,
    first_touch_at_utc,
    first_order_at_utc,
    first_order_date_local,
    first_order_month,
    acquisition_month,
    orders
from {{ ref('int_acquisition__customers') }}
