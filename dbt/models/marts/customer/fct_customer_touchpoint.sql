{#-
    Every interaction of every channel, attached to its customer (grain: touchpoint_id): the rows
    of int_touchpoints__customers, where the attachment rules are documented (an intermediate
    step, so that models of the intermediate layer read it there).
-#}

select
    touchpoint_id,
    customer_id,
    is_identified_customer,
    touchpoint_type,
    channel,
    traffic_channel,
    utm_campaign,
    occurred_at_utc,
    occurred_date_local,
    source_record_id,
    identifier_type,
    identifier_value,
    detail,
    value_eur,
    score
from {{ ref('int_touchpoints__customers') }}
