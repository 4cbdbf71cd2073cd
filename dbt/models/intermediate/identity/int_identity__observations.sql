{#-
    Every identifier seen on every source record. Identifiers on the same record
    co-occur, which is the evidence that links them (int_identity__edges).
    A record is keyed (record_source, record_id); a GA4 purchase is keyed by its
    shop order (ecommerce.transaction_id = the order's order_number), so the device that
    bought is linked to the buyer's email.
    Records that the marts attribute to a customer (shop orders, NPS responses, product
    reviews, event registrations, blog comments) also carry themselves as an identifier,
    identifier_type 'source_record' = '<record_source>:<record_id>': a record whose only
    contact identifier is shared (a guest order with a blocklisted email) still resolves,
    through its other evidence (its GA4 purchase device), or else to a customer of its own,
    never to the shared identifier's customer.
    GA4 consent (int_web__device_consent, docs/sources/ga4.md): only events sent without analytics
    storage denied, of browsers that still have analytics consent, are observations; a browser
    without consent (never given, or revoked) and its logins and purchases are no identifier here.
-#}

{{ config(
    pre_hook=spark_conf_hooks('spark.sql.legacy.inlineCTEInCommands', 'true', none),
    post_hook=spark_conf_hooks('spark.sql.legacy.inlineCTEInCommands', none, 'false'),
) }}


with consented_web_events as (

    select events.*
    from {{ ref('int_web__events') }} as events
    inner join {{ ref('int_web__device_consent') }} as devices
        on devices.user_pseudo_id = events.user_pseudo_id
        and devices.has_analytics_consent
    where not events.is_analytics_consent_denied

),

ga4_logins as (

    select
        'ga4_login' as record_source,
        user_pseudo_id || '|' || user_id as record_id,
        user_pseudo_id,
        user_id,
        min(event_at_utc) as observed_at_utc
    from consented_web_events
    where user_id is not null
    group by user_pseudo_id, user_id

),

ga4_devices as (

    select
        'ga4_device' as record_source,
        user_pseudo_id as record_id,
        user_pseudo_id,
        min(event_at_utc) as observed_at_utc
    from consented_web_events
    group by user_pseudo_id

),

orders as (

    select * from {{ ref('int_commerce__orders') }}

),

ga4_purchases as (

    select
        'shop_order' as record_source,
        orders.order_id as record_id,
        events.user_pseudo_id,
        min(events.event_at_utc) as observed_at_utc
    from consented_web_events as events
    inner join orders on orders.order_number = events.transaction_id
    where events.event_name = 'purchase'
    group by orders.order_id, events.user_pseudo_id

),

contacts as (

    select * from {{ ref('int_crm__contacts') }}

),

reviews as (

    select
        reviews.*,
        orders.order_id
    from {{ ref('int_reviews__product_reviews') }} as reviews
    left join orders on orders.order_number = reviews.order_number

),

social_authors as (

    select
        platform,
        author_handle_normalized,
        created_at_utc,
        'social_comment' as record_source,
        comment_id as record_id
    from {{ ref('int_social__comments') }}
    union all
    select
        platform,
        author_handle_normalized,
        created_at_utc,
        'social_mention' as record_source,
        mention_id
    from {{ ref('int_social__mentions') }}

),

attributed_records as (

    select
        'shop_order' as record_source,
        order_id as record_id,
        created_at_utc as observed_at_utc
    from orders
    union all
    select
        'nps_response' as record_source,
        nps_response_id,
        submitted_at_utc
    from {{ ref('int_survey__nps_responses') }}
    where respondent_email is not null or crm_contact_id is not null or respondent_phone_e164 is not null
    union all
    select
        'product_review' as record_source,
        review_id,
        submitted_at_utc
    from reviews
    where order_id is null and reviewer_email is not null
    union all
    select
        'blog_comment' as record_source,
        comment_id,
        commented_at_utc
    from {{ ref('int_blog__comments') }}
    where email is not null and not is_staff and comment_status in ('approved', 'pending')
    union all
    select
        'event_registration' as record_source,
        registration_id,
        registered_at_utc
    from {{ ref('int_events__registrations') }}
    where email is not null or phone_e164 is not null

),

observations as (

    select
        record_source,
        record_id,
        'source_record' as identifier_type,
        {{ source_record_key('record_source', 'record_id') }} as identifier_value,
        observed_at_utc
    from attributed_records
    union all
    select
        record_source,
        record_id,
        'user_pseudo_id' as identifier_type,
        user_pseudo_id as identifier_value,
        observed_at_utc
    from ga4_devices
    union all
    select
        record_source,
        record_id,
        'user_pseudo_id' as identifier_type,
        user_pseudo_id,
        observed_at_utc
    from ga4_logins
    union all
    select
        record_source,
        record_id,
        'customer_number' as identifier_type,
        user_id,
        observed_at_utc
    from ga4_logins
    union all
    select
        record_source,
        record_id,
        'user_pseudo_id' as identifier_type,
        user_pseudo_id,
        observed_at_utc
    from ga4_purchases

    union all
    select
        'shop_order' as record_source,
        order_id,
        'email' as identifier_type,
        email,
        created_at_utc
    from orders
    where email is not null
    union all
    select
        'shop_order' as record_source,
        order_id,
        'phone' as identifier_type,
        phone_e164,
        created_at_utc
    from orders
    where phone_e164 is not null
    union all
    select
        'shop_order' as record_source,
        order_id,
        'customer_number' as identifier_type,
        customer_number,
        created_at_utc
    from orders
    where customer_number is not null

    union all
    select
        'crm_contact' as record_source,
        crm_contact_id,
        'crm_contact_id' as identifier_type,
        crm_contact_id as identifier_value,
        created_at_utc
    from contacts
    union all
    select
        'crm_contact' as record_source,
        crm_contact_id,
        'email' as identifier_type,
        email,
        created_at_utc
    from contacts
    where email is not null
    union all
    select
        'crm_contact' as record_source,
        crm_contact_id,
        'phone' as identifier_type,
        phone_e164,
        created_at_utc
    from contacts
    where phone_e164 is not null
    union all
    select
        'crm_contact' as record_source,
        crm_contact_id,
        'customer_number' as identifier_type,
        customer_number,
        created_at_utc
    from contacts
    where customer_number is not null
    union all
    select
        'crm_contact' as record_source,
        crm_contact_id,
        'instagram_handle' as identifier_type,
        instagram_handle,
        created_at_utc
    from contacts
    where instagram_handle is not null
    union all
    select
        'crm_contact' as record_source,
        crm_contact_id,
        'linkedin_handle' as identifier_type,
        linkedin_handle,
        created_at_utc
    from contacts
    where linkedin_handle is not null

    union all
    select
        'esp_recipient' as record_source,
        recipient_email,
        'email' as identifier_type,
        recipient_email as identifier_value,
        min(event_at_utc) as observed_at_utc
    from {{ ref('int_email__activity') }}
    where recipient_email is not null
    group by recipient_email
    union all
    select
        'esp_recipient' as record_source,
        recipient_phone_e164,
        'phone' as identifier_type,
        recipient_phone_e164 as identifier_value,
        min(event_at_utc) as observed_at_utc
    from {{ ref('int_email__activity') }}
    where recipient_phone_e164 is not null
    group by recipient_phone_e164
    union all
    select
        'esp_subscriber' as record_source,
        subscriber_email,
        'email' as identifier_type,
        subscriber_email as identifier_value,
        min(event_at_utc) as observed_at_utc
    from {{ ref('int_email__list_membership') }}
    where subscriber_email is not null
    group by subscriber_email
    union all
    select
        'esp_subscriber' as record_source,
        subscriber_phone_e164,
        'phone' as identifier_type,
        subscriber_phone_e164 as identifier_value,
        min(event_at_utc) as observed_at_utc
    from {{ ref('int_email__list_membership') }}
    where subscriber_phone_e164 is not null
    group by subscriber_phone_e164

    union all
    select
        'nps_response' as record_source,
        nps_response_id,
        'email' as identifier_type,
        respondent_email,
        submitted_at_utc
    from {{ ref('int_survey__nps_responses') }}
    where respondent_email is not null
    union all
    select
        'nps_response' as record_source,
        nps_response_id,
        'crm_contact_id' as identifier_type,
        crm_contact_id,
        submitted_at_utc
    from {{ ref('int_survey__nps_responses') }}
    where crm_contact_id is not null
    union all
    select
        'nps_response' as record_source,
        nps_response_id,
        'phone' as identifier_type,
        respondent_phone_e164,
        submitted_at_utc
    from {{ ref('int_survey__nps_responses') }}
    where respondent_phone_e164 is not null

    union all
    select
        case when order_id is not null then 'shop_order' else 'product_review' end as record_source,
        coalesce(order_id, review_id) as record_id,
        'email' as identifier_type,
        reviewer_email,
        submitted_at_utc
    from reviews
    where reviewer_email is not null

    union all
    select
        'blog_comment' as record_source,
        comment_id,
        'email' as identifier_type,
        email,
        commented_at_utc
    from {{ ref('int_blog__comments') }}
    where email is not null and not is_staff and comment_status in ('approved', 'pending')

    union all
    select
        'event_registration' as record_source,
        registration_id,
        'email' as identifier_type,
        email,
        registered_at_utc
    from {{ ref('int_events__registrations') }}
    where email is not null
    union all
    select
        'event_registration' as record_source,
        registration_id,
        'phone' as identifier_type,
        phone_e164,
        registered_at_utc
    from {{ ref('int_events__registrations') }}
    where phone_e164 is not null

    union all
    select
        record_source,
        record_id,
        case platform
            when 'instagram' then 'instagram_handle'
            when 'linkedin' then 'linkedin_handle'
            when 'facebook' then 'facebook_id'
            else platform || '_handle'
        end as identifier_type,
        author_handle_normalized,
        created_at_utc
    from social_authors
    where author_handle_normalized is not null

)

select
    record_source,
    record_id,
    identifier_type,
    identifier_value,
    min(observed_at_utc) as observed_at_utc
from observations
where identifier_value is not null
group by record_source, record_id, identifier_type, identifier_value
