{#-
    Journey funnel per customer segment (grain: segment_type, segment_value): customers of
    dim_customer_journey that reached each phase by the last observed day, how many are in
    each phase now, and the conversion between phases (as in mart_journey_cohort_funnel).
    segment_type all, persona_group, persona, or rfm_segment (the latest month's segment of
    dim_customer_persona; var('rfm_no_order_segment') for customers without an order).
-#}

with journeys as (

    select
        journeys.*,
        customers.persona,
        customers.persona_group,
        customers.rfm_segment
    from {{ ref('dim_customer_journey') }} as journeys
    inner join {{ ref('dim_customer_persona') }} as customers on customers.customer_id = journeys.customer_id

),

segmented as (

    select
        'all' as segment_type,
        'all' as segment_value,
        contact_at_utc,
        experience_at_utc,
        trust_at_utc,
        current_phase
    from journeys
    union all
    select
        'persona_group' as segment_type,
        persona_group,
        contact_at_utc,
        experience_at_utc,
        trust_at_utc,
        current_phase
    from journeys
    union all
    select
        'persona' as segment_type,
        persona,
        contact_at_utc,
        experience_at_utc,
        trust_at_utc,
        current_phase
    from journeys
    union all
    select
        'rfm_segment' as segment_type,
        rfm_segment,
        contact_at_utc,
        experience_at_utc,
        trust_at_utc,
        current_phase
    from journeys

)

select
    segment_type,
    segment_value,
    {{ journey_funnel_columns() }}
from segmented
group by segment_type, segment_value
