{#-
    Every interaction of every channel, attached to its customer.
    Grain: one row per touchpoint (touchpoint_id). Web: one 'web_visit' per session
    plus one row per page view and per conversion event (form submit, sign-up);
    paid sessions also give an 'ad_click'. Email/DEM/SMS: one row per platform event
    (sent, delivered, open, click, bounce, unsubscribe). Social: comments and
    mentions. CRM: lead created. Shop: order. Survey: NPS answer. Reviews: review.
    Events: registration and check-in. List: subscribe / unsubscribe.

    The touchpoints come from the incremental spine int_touchpoints__unioned; this table
    re-attaches all of them to customers on every run, because a new identifier can merge
    two customers: a record takes the customer of its first non-shared candidate
    identifier, else of the first candidate that has a customer at all.

    The rows are int_touchpoints__customers' (the attachment is an intermediate step: models of the
    intermediate layer read it there).
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
