{#-
    Email marketing consent per customer (grain: customer_id; customers with any consent evidence).
    What a marketer may rely on to send marketing (docs/sources/mailchimp.md and hubspot.md, Consent):

    * opt-in: an email list subscription that is currently subscribed (Mailchimp member status
      'subscribed', and not refused in the audience's GDPR permission Email; generic CSV: the latest
      event of the address on that list is a subscribe), dated by its latest subscribe; or a CRM
      contact with email consent (generic CRM consent_email; HubSpot: not hs_email_optout and a legal
      basis recorded), dated by the contact's last update (the CRM's state as of then);
    * withdrawal: an unsubscribe or a cleaning (hard-bounced address) of any of the customer's
      addresses on any list, or an unsubscribe through a campaign's link (int_email__activity), at its time; a CRM opt-out (HubSpot hs_email_optout = true, "unsubscribed
      from all email", which HubSpot cannot undo) vetoes any opt-in, whenever it happened;
    * has_marketing_consent: an opt-in, no CRM opt-out, and no withdrawal after the latest opt-in
      (the latest expressed choice wins). Mailchimp 'pending' (unconfirmed double opt-in),
      'transactional' and 'archived' contacts are not in the audience export: no consent.
    Only non-shared identifiers count: a role mailbox's subscription is nobody's consent.
-#}

with identifiers as (

    select
        customer_id,
        identifier_type,
        identifier_value
    from {{ ref('int_identity__resolved') }}
    where identifier_type in ('email', 'crm_contact_id')
        and not is_shared

),

list_events as (

    select
        identifiers.customer_id,
        membership.list_id,
        membership.subscriber_email,
        membership.event_type,
        membership.event_at_utc,
        membership.member_status,
        membership.marketing_permission_email,
        row_number() over (
            partition by membership.source_system, membership.list_id, membership.subscriber_email
            order by membership.event_at_utc desc, case when membership.event_type = 'subscribe' then 1 else 0 end
        ) as recency_rank
    from {{ ref('int_email__list_membership') }} as membership
    inner join identifiers
        on identifiers.identifier_type = 'email'
        and identifiers.identifier_value = membership.subscriber_email
    where membership.event_at_utc is not null

),

subscriptions as (

    -- one row per list and address: subscribed now?
    select
        customer_id,
        max(case when event_type = 'subscribe' then event_at_utc end) as subscribed_at_utc,
        max(case when recency_rank = 1 then
                case
                    when member_status is not null then member_status = 'subscribed'
                    else event_type = 'subscribe'
                end
                and coalesce(marketing_permission_email, true)
        end) as is_subscribed
    from list_events
    group by customer_id, list_id, subscriber_email

),

list_opt_ins as (

    select
        customer_id,
        max(subscribed_at_utc) as opted_in_at_utc
    from subscriptions
    where is_subscribed
    group by customer_id

),

list_withdrawals as (

    -- unsubscribes and cleanings of the lists, and unsubscribes through a campaign's link
    select
        customer_id,
        max(withdrawn_at_utc) as withdrawn_at_utc
    from (
        select
            customer_id,
            event_at_utc as withdrawn_at_utc
        from list_events
        where event_type in ('unsubscribe', 'cleaned')
        union all
        select
            identifiers.customer_id,
            activity.event_at_utc
        from {{ ref('int_email__activity') }} as activity
        inner join identifiers
            on identifiers.identifier_type = 'email'
            and identifiers.identifier_value = activity.recipient_email
        where activity.event_type = 'unsubscribe'
    ) as withdrawals
    group by customer_id

),

crm as (

    select
        identifiers.customer_id,
        max(case when contacts.has_email_consent then coalesce(contacts.updated_at_utc, contacts.created_at_utc) end)
            as opted_in_at_utc,
        max(case when contacts.has_email_consent then 1 else 0 end) = 1 as has_crm_email_consent,
        max(case when contacts.is_email_opted_out then 1 else 0 end) = 1 as has_crm_opt_out
    from {{ ref('int_crm__contacts') }} as contacts
    inner join identifiers
        on identifiers.identifier_type = 'crm_contact_id'
        and identifiers.identifier_value = contacts.crm_contact_id
    group by identifiers.customer_id

),

customers as (

    select customer_id from list_events
    union
    select customer_id from list_withdrawals
    union
    select customer_id from crm

),

combined as (

    select
        customers.customer_id,
        list_opt_ins.customer_id is not null as has_subscribed_list_membership,
        coalesce(crm.has_crm_email_consent, false) as has_crm_email_consent,
        coalesce(crm.has_crm_opt_out, false) as has_crm_opt_out,
        case
            when list_opt_ins.opted_in_at_utc is null then crm.opted_in_at_utc
            when
                crm.opted_in_at_utc is null or list_opt_ins.opted_in_at_utc > crm.opted_in_at_utc
                then list_opt_ins.opted_in_at_utc
            else crm.opted_in_at_utc
        end as last_opted_in_at_utc,
        list_withdrawals.withdrawn_at_utc as last_withdrawn_at_utc
    from customers
    left join list_opt_ins on list_opt_ins.customer_id = customers.customer_id
    left join list_withdrawals on list_withdrawals.customer_id = customers.customer_id
    left join crm on crm.customer_id = customers.customer_id

)

select
    customer_id,
    has_subscribed_list_membership,
    has_crm_email_consent,
    has_crm_opt_out,
    last_opted_in_at_utc,
    last_withdrawn_at_utc,
    coalesce(
        (has_subscribed_list_membership or has_crm_email_consent)
        and not has_crm_opt_out
        and (last_withdrawn_at_utc is null or last_withdrawn_at_utc < last_opted_in_at_utc),
        false
    ) as has_marketing_consent
from combined
