{#-
    New vs returning legacy customers (grain: customer_id), for every customer with a marketing
    touchpoint, an order or a CRM / list record. A customer with evidence of a relationship
    before the window is a returning legacy customer (is_legacy_customer), never a new one:
      - a CRM contact created before the window start (the migrated base keeps its create date);
      - a CRM contact in lifecycle stage customer before the window start, or within
        var('legacy_migration_days') of it (the base imported as customers on the first morning);
      - an email / SMS list membership (opt-in, confirmation or subscribe) before the window start,
        or a list import (signup_source import) within var('legacy_migration_days') of it.
    The shop exports carry no order history (no customer orders_count / created_at), so an order
    cannot be evidence. The window start is the first local day any touchpoint or spend line was
    seen (as int_kpi__calendar_days). First touch = the earliest touchpoint that carries a
    marketing channel (touchpoint_marketing_channel()); acquisition_channel is that channel for
    new customers and 'legacy' for legacy ones. Built in the unified-customer layer so that
    dim_customer and fct_order can carry it.
-#}

{%- set order_identifiers = shop_order_identifiers() %}
{%- set membership_identifiers = [("'email'", 'membership.subscriber_email'),
    ("'phone'", 'membership.subscriber_phone_e164')] %}

with window_bounds as (

    select min(first_day) as window_start_date
    from (
        select min(occurred_date_local) as first_day from {{ ref('int_touchpoints__customers') }}
        union all
        select min(spend_date) from {{ ref('stg_finance__marketing_spend') }}
    ) as source_bounds

),

window_start as (

    select
        window_start_date,
        cast({{ dbt.dateadd('day', var('legacy_migration_days'), 'window_start_date') }} as date) as migration_end_date
    from window_bounds

),

crm_evidence as (

    select
        resolved.customer_id,
        min(contacts.created_at_utc) as crm_created_at_utc,
        min(contacts.became_customer_at_utc) as crm_customer_at_utc
    from {{ ref('int_crm__contacts') }} as contacts
    inner join {{ ref('int_identity__resolved') }} as resolved
        on resolved.identifier_type = 'crm_contact_id'
        and resolved.identifier_value = contacts.crm_contact_id
    group by resolved.customer_id

),

memberships as (

    select
        {{ customer_pick(membership_identifiers) }} as customer_id,
        membership.event_type,
        membership.signup_source,
        {{ earliest(earliest('membership.event_at_utc', 'membership.optin_at_utc'), 'membership.confirmed_at_utc') }}
            as joined_at_utc
    from {{ ref('int_email__list_membership') }} as membership
    {{ customer_joins(membership_identifiers) }}
    where membership.event_type = 'subscribe'

),

list_evidence as (

    select
        customer_id,
        min(joined_at_utc) as list_joined_at_utc,
        min(case when signup_source = 'import' then joined_at_utc end) as list_imported_at_utc
    from memberships
    where customer_id is not null
    group by customer_id

),

marketing_touches as (

    select
        customer_id,
        touchpoint_id,
        occurred_at_utc,
        utm_campaign,
        {{ touchpoint_marketing_channel('touchpoint_type', 'channel', 'traffic_channel') }} as marketing_channel
    from {{ ref('int_touchpoints__customers') }}
    where customer_id is not null

),

first_touches as (

    select *
    from (
        select
            marketing_touches.*,
            row_number()
                over (
                    partition by marketing_touches.customer_id
                    order by marketing_touches.occurred_at_utc, marketing_touches.touchpoint_id
                )
                as touch_rank
        from marketing_touches
        where marketing_touches.marketing_channel is not null
    ) as ranked
    where touch_rank = 1

),

orders as (

    select
        {{ customer_pick(order_identifiers) }} as customer_id,
        orders.created_at_utc,
        orders.order_date_local
    from {{ ref('int_commerce__orders') }} as orders
    {{ customer_joins(order_identifiers) }}
    where not orders.is_cancelled

),

first_orders as (

    select
        customer_id,
        min(created_at_utc) as first_order_at_utc,
        min(order_date_local) as first_order_date_local,
        count(*) as orders
    from orders
    where customer_id is not null
    group by customer_id

),

customers as (

    select customer_id from first_touches
    union
    select customer_id from first_orders
    union
    select customer_id from crm_evidence
    union
    select customer_id from list_evidence

),

evidence as (

    select
        customers.customer_id,
        crm_evidence.crm_created_at_utc,
        crm_evidence.crm_customer_at_utc,
        list_evidence.list_joined_at_utc,
        list_evidence.list_imported_at_utc,
        coalesce(
            cast({{ utc_to_local('crm_evidence.crm_created_at_utc') }} as date) < window_start.window_start_date, false
        )
            as has_crm_contact_before_window,
        coalesce(
            cast({{ utc_to_local('crm_evidence.crm_customer_at_utc') }} as date) < window_start.migration_end_date,
            false
        )
            as has_crm_customer_before_window,
        coalesce(
            cast({{ utc_to_local('list_evidence.list_joined_at_utc') }} as date) < window_start.window_start_date
            or cast({{ utc_to_local('list_evidence.list_imported_at_utc') }} as date) < window_start.migration_end_date,
            false
        ) as has_list_membership_before_window
    from customers
    cross join window_start
    left join crm_evidence on crm_evidence.customer_id = customers.customer_id
    left join list_evidence on list_evidence.customer_id = customers.customer_id

),

classified as (

    select
        evidence.*,
        evidence.has_crm_contact_before_window
        or evidence.has_crm_customer_before_window
        or evidence.has_list_membership_before_window
            as is_legacy_customer
    from evidence

)

select
    classified.customer_id,
    classified.is_legacy_customer,
    first_orders.first_order_at_utc is not null and not classified.is_legacy_customer as is_new_customer,
    case
        when classified.is_legacy_customer then 'legacy'
        else coalesce(first_touches.marketing_channel, 'unknown')
    end as acquisition_channel,
    case when not classified.is_legacy_customer then first_touches.utm_campaign end as acquisition_campaign,
    coalesce(first_touches.marketing_channel, 'unknown') as first_touch_channel,
    first_touches.utm_campaign as first_touch_campaign,
    first_touches.occurred_at_utc as first_touch_at_utc,
    first_orders.first_order_at_utc,
    first_orders.first_order_date_local,
    {{ period_start('first_orders.first_order_date_local', 'month') }} as first_order_month,
    case
        when not classified.is_legacy_customer then {{ period_start('first_orders.first_order_date_local', 'month') }}
    end as acquisition_month,
    coalesce(first_orders.orders, 0) as orders,
    classified.has_crm_contact_before_window,
    classified.has_crm_customer_before_window,
    classified.has_list_membership_before_window,
    classified.crm_created_at_utc,
    classified.crm_customer_at_utc,
    classified.list_joined_at_utc
from classified
left join first_touches on first_touches.customer_id = classified.customer_id
left join first_orders on first_orders.customer_id = classified.customer_id
