{#-
    One row per CRM lead (grain: lead_id) with its customer and whether it converted: the
    customer placed a first order (not cancelled) within var('lead_conversion_window_days')
    (default 90) of the lead's creation. A lead of someone who was already a customer does
    not convert. The window is complete when it ends on or before the last observed day.
    Every lead counts in the lead KPIs; has_marketing_consent (dim_customer) tells which may be
    scored or activated (mart_lead_scores and the lead-score evaluation keep only those).
-#}

{%- set contact_identifiers = [("'crm_contact_id'", 'leads.crm_contact_id')] %}

with leads as (

    select
        leads.*,
        {{ customer_pick(contact_identifiers) }} as customer_id
    from {{ ref('int_crm__leads') }} as leads
    {{ customer_joins(contact_identifiers) }}

),

first_orders as (

    select
        customer_id,
        first_order_at_utc
    from {{ ref('int_kpi__customer_acquisition') }}
    where first_order_at_utc is not null

),

observation_window as (

    select max(observation_end_date) as observation_end_date
    from {{ ref('int_kpi__calendar_days') }}

)

select
    leads.lead_id,
    leads.crm_contact_id,
    leads.customer_id,
    coalesce(customers.has_marketing_consent, false) as has_marketing_consent,
    leads.created_at_utc,
    leads.created_date_local,
    leads.source_channel,
    leads.utm_campaign,
    leads.stage,
    cast(leads.amount_eur as {{ type_money() }}) as amount_eur,
    leads.closed_at_utc,
    first_orders.first_order_at_utc as customer_first_order_at_utc,
    coalesce(first_orders.first_order_at_utc < leads.created_at_utc, false) as was_customer_at_creation,
    coalesce(
        first_orders.first_order_at_utc >= leads.created_at_utc
        and first_orders.first_order_at_utc
        < {{ dbt.dateadd('day', var('lead_conversion_window_days'), 'leads.created_at_utc') }},
        false
    ) as is_converted,
    cast({{ dbt.dateadd('day', var('lead_conversion_window_days'), 'leads.created_date_local') }} as date)
    <= observation_window.observation_end_date as is_window_complete
from leads
left join first_orders on first_orders.customer_id = leads.customer_id
left join {{ ref('dim_customer') }} as customers on customers.customer_id = leads.customer_id
cross join observation_window
