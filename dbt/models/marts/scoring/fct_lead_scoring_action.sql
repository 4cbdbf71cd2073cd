{#-
    Scored actions of contacts (grain: touchpoint_id): every touchpoint of a contact (a
    customer with a CRM contact and marketing consent, dim_customer.has_marketing_consent: no
    profiling for direct marketing without it; not a shared identifier) whose type has points in the
    lead scoring rules (source ml.lead_scoring_actions, from the versioned rules file).
-#}

select
    touchpoints.touchpoint_id,
    touchpoints.customer_id,
    touchpoints.touchpoint_type,
    touchpoints.occurred_at_utc,
    touchpoints.occurred_date_local,
    actions.points,
    actions.rules_version
from {{ ref('fct_customer_touchpoint') }} as touchpoints
inner join {{ source('ml', 'lead_scoring_actions') }} as actions
    on actions.touchpoint_type = touchpoints.touchpoint_type
inner join {{ ref('dim_customer') }} as customers
    on customers.customer_id = touchpoints.customer_id
where customers.primary_crm_contact_id is not null
    and not customers.is_shared_identifier
    and customers.has_marketing_consent
