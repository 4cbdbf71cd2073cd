{#-
    Every interaction of every channel, attached to its customer (the rows of fct_customer_touchpoint,
    which selects them: an intermediate model, so that intermediate models such as
    int_acquisition__customers read the touchpoints without reading a mart).
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
-#}

{%- set candidates = [
    ('touchpoints.identifier_1_type', 'touchpoints.identifier_1_value'),
    ('touchpoints.identifier_2_type', 'touchpoints.identifier_2_value'),
    ('touchpoints.identifier_3_type', 'touchpoints.identifier_3_value'),
] %}

with touchpoints as (

    select * from {{ ref('int_touchpoints__unioned') }}
    where not is_void

),

identified_customers as (

    select
        customer_id,
        max(case when is_identifying then 1 else 0 end) = 1 as is_identified
    from {{ ref('int_identity__resolved') }}
    group by customer_id

),

attached as (

    select
        touchpoints.*,
        {{ customer_pick(candidates) }} as customer_id
    from touchpoints
    {{ customer_joins(candidates) }}

)

select
    attached.touchpoint_id,
    attached.customer_id,
    coalesce(identified_customers.is_identified, false) as is_identified_customer,
    attached.touchpoint_type,
    attached.channel,
    attached.traffic_channel,
    attached.utm_campaign,
    attached.occurred_at_utc,
    attached.occurred_date_local,
    attached.source_record_id,
    attached.identifier_type,
    attached.identifier_value,
    attached.detail,
    cast(attached.value_eur as {{ type_money() }}) as value_eur,
    cast(attached.score as {{ dbt.type_bigint() }}) as score
from attached
left join identified_customers on identified_customers.customer_id = attached.customer_id
