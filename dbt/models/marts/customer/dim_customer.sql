{#-
    The golden record: one row per customer_id. Survivorship (first non-null wins):
      email      CRM contact (latest updated, valid) > latest order > latest event registration > email platform
      phone      CRM contact > latest order > latest event registration > email platform (SMS)
      name       CRM contact > latest event registration
      country    CRM contact > latest order billing country
      company    CRM company of the contact > company typed at event registration
      consent    CRM flags when the customer has a CRM contact; else email consent = subscribed
                 (last list event for the address is a subscribe), sms consent = false
    New vs legacy, acquisition channel and first order: int_acquisition__customers.
    GDPR consent:
      has_marketing_consent  int_email__marketing_consent: a current email subscription or CRM email
                             consent, no CRM opt-out, no unsubscribe / cleaning after the latest opt-in
      has_analytics_consent  one of the customer's GA4 browsers has analytics consent
                             (int_web__device_consent); browsers without it are in no customer at all
-#}

with resolved as (

    select * from {{ ref('int_identity__resolved') }}

),

customers as (

    select
        customer_id,
        min(first_seen_at_utc) as first_seen_at_utc,
        max(last_seen_at_utc) as last_seen_at_utc,
        cast(sum(case when identifier_type = 'source_record' then 0 else 1 end) as {{ dbt.type_bigint() }})
            as identifier_count,
        cast(sum(case when identifier_type = 'email' then 1 else 0 end) as {{ dbt.type_bigint() }}) as email_count,
        cast(sum(case when identifier_type = 'phone' then 1 else 0 end) as {{ dbt.type_bigint() }}) as phone_count,
        cast(sum(case when identifier_type = 'user_pseudo_id' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as device_count,
        cast(sum(case when identifier_type = 'crm_contact_id' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as crm_contact_count,
        cast(sum(case when identifier_type = 'customer_number' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as shop_account_count,
        max(case when is_shared then 1 else 0 end) = 1 as is_shared_identifier,
        max(shared_reason) as shared_reason,
        max(case when is_identifying then 1 else 0 end) = 1 as is_identified
    from resolved
    group by customer_id

),

contacts as (

    select
        resolved.customer_id,
        contacts.*,
        row_number() over (
            partition by resolved.customer_id
            order by
                case when contacts.is_email_valid then 0 else 1 end,
                contacts.updated_at_utc desc,
                contacts.crm_contact_id asc
        ) as contact_rank
    from {{ ref('int_crm__contacts') }} as contacts
    inner join resolved
        on resolved.identifier_type = 'crm_contact_id'
        and resolved.identifier_value = contacts.crm_contact_id

),

best_contact as (

    select
        contacts.*,
        companies.company_name,
        companies.industry as company_industry,
        cast(companies.employee_count as {{ dbt.type_bigint() }}) as company_employee_count
    from contacts
    left join {{ ref('int_crm__companies') }} as companies
        on companies.crm_company_id = contacts.crm_company_id
    where contacts.contact_rank = 1

),

{#- the order itself last: with a shared account/email/phone it resolves to its own evidence (its GA4 purchase device)
    or to a customer of its own -#}
{%- set order_identifiers = shop_order_identifiers() %}

orders as (

    select
        {{ customer_pick(order_identifiers) }} as customer_id,
        -- a shared address or phone on the order (test@example.com, a role mailbox) is nobody's contact
        case when not coalesce(resolved_2.is_shared, false) then orders.email end as email,
        orders.is_email_valid and not coalesce(resolved_2.is_shared, false) as is_email_valid,
        case when not coalesce(resolved_3.is_shared, false) then orders.phone_e164 end as phone_e164,
        orders.billing_country_code,
        orders.created_at_utc
    from {{ ref('int_commerce__orders') }} as orders
    {{ customer_joins(order_identifiers) }}

),

latest_order as (

    select *
    from (
        select
            orders.*,
            row_number() over (partition by orders.customer_id order by orders.created_at_utc desc) as order_rank
        from orders
    ) as ranked
    where order_rank = 1

),

{%- set registration_identifiers = [
    ("'email'", 'registrations.email'),
    ("'phone'", 'registrations.phone_e164'),
    ("'source_record'", source_record_key("'event_registration'", 'registrations.registration_id'))
] %}

registrations as (

    select *
    from (
        select
            {{ customer_pick(registration_identifiers) }} as customer_id,
            coalesce(resolved_1.is_shared, false) as is_email_shared,
            coalesce(resolved_2.is_shared, false) as is_phone_shared,
            registrations.*,
            row_number() over (
                partition by {{ customer_pick(registration_identifiers) }}
                order by registrations.registered_at_utc desc
            ) as registration_rank
        from {{ ref('int_events__registrations') }} as registrations
        {{ customer_joins(registration_identifiers) }}
    ) as ranked
    where registration_rank = 1

),

platform_addresses as (

    select
        resolved.customer_id,
        max(
            case when resolved.identifier_type = 'email' and not resolved.is_shared then resolved.identifier_value end
        ) as email,
        max(
            case when resolved.identifier_type = 'phone' and not resolved.is_shared then resolved.identifier_value end
        ) as phone_e164
    from resolved
    group by resolved.customer_id

),

list_status as (

    select
        customer_id,
        max(case when event_type = 'subscribe' then 1 else 0 end) = 1 as is_subscribed
    from (
        select
            resolved.customer_id,
            membership.event_type,
            row_number() over (
                partition by membership.list_id, membership.subscriber_email
                order by membership.event_at_utc desc
            ) as event_rank
        from {{ ref('int_email__list_membership') }} as membership
        inner join resolved
            on resolved.identifier_type = 'email'
            and resolved.identifier_value = membership.subscriber_email
        where membership.subscriber_email is not null
    ) as ranked
    where event_rank = 1
    group by customer_id

),

device_consent as (

    select
        resolved.customer_id,
        max(case when devices.has_analytics_consent then 1 else 0 end) = 1 as has_analytics_consent
    from resolved
    inner join {{ ref('int_web__device_consent') }} as devices
        on devices.user_pseudo_id = resolved.identifier_value
    where resolved.identifier_type = 'user_pseudo_id'
    group by resolved.customer_id

),

touchpoints as (

    select
        customer_id,
        min(occurred_at_utc) as first_touch_at_utc,
        max(occurred_at_utc) as last_touch_at_utc,
        count(distinct channel) as channel_count,
        {{ distinct_listagg('channel', "','") }} as channels_touched
    from {{ ref('fct_customer_touchpoint') }}
    where customer_id is not null
    group by customer_id

)

select
    customers.customer_id,
    case when customers.is_identified then 'identified' else 'anonymous' end as identification_status,
    customers.is_identified,
    customers.is_shared_identifier,
    customers.shared_reason,
    coalesce(
        case when best_contact.is_email_valid then best_contact.email end,
        case when latest_order.is_email_valid then latest_order.email end,
        case when registrations.is_email_valid and not registrations.is_email_shared then registrations.email end,
        platform_addresses.email
    ) as email,
    coalesce(
        best_contact.phone_e164,
        latest_order.phone_e164,
        case when not registrations.is_phone_shared then registrations.phone_e164 end,
        platform_addresses.phone_e164
    ) as phone_e164,
    coalesce(best_contact.first_name, registrations.first_name) as first_name,
    coalesce(best_contact.last_name, registrations.last_name) as last_name,
    coalesce(best_contact.country_code, latest_order.billing_country_code) as country_code,
    best_contact.language,
    best_contact.job_title,
    coalesce(best_contact.company_name, registrations.company_name) as company_name,
    best_contact.company_industry,
    best_contact.company_employee_count,
    best_contact.crm_contact_id as primary_crm_contact_id,
    best_contact.customer_number as primary_customer_number,
    coalesce(best_contact.has_email_consent, list_status.is_subscribed, false) as has_email_consent,
    coalesce(best_contact.has_sms_consent, false) as has_sms_consent,
    coalesce(marketing_consent.has_marketing_consent, false) as has_marketing_consent,
    coalesce(device_consent.has_analytics_consent, false) as has_analytics_consent,
    best_contact.lifecycle_stage as crm_lifecycle_stage,
    customers.identifier_count,
    customers.email_count,
    customers.phone_count,
    customers.device_count,
    customers.crm_contact_count,
    customers.shop_account_count,
    coalesce(touchpoints.first_touch_at_utc, customers.first_seen_at_utc) as first_seen_at_utc,
    coalesce(touchpoints.last_touch_at_utc, customers.last_seen_at_utc) as last_seen_at_utc,
    coalesce(touchpoints.channel_count, 0) as channel_count,
    touchpoints.channels_touched,
    coalesce(acquisition.is_legacy_customer, false) as is_legacy_customer,
    coalesce(acquisition.is_new_customer, false) as is_new_customer,
    coalesce(acquisition.acquisition_channel, 'unknown') as acquisition_channel,
    acquisition.acquisition_campaign,
    acquisition.first_order_at_utc as first_order_at
from customers
left join best_contact on best_contact.customer_id = customers.customer_id
left join latest_order on latest_order.customer_id = customers.customer_id
left join registrations on registrations.customer_id = customers.customer_id
left join platform_addresses on platform_addresses.customer_id = customers.customer_id
left join list_status on list_status.customer_id = customers.customer_id
left join
    {{ ref('int_email__marketing_consent') }} as marketing_consent
    on marketing_consent.customer_id = customers.customer_id
left join device_consent on device_consent.customer_id = customers.customer_id
left join touchpoints on touchpoints.customer_id = customers.customer_id
left join {{ ref('int_acquisition__customers') }} as acquisition on acquisition.customer_id = customers.customer_id
