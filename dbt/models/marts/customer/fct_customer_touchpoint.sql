{#-
    Every interaction of every channel, attached to its customer.
    Grain: one row per touchpoint (touchpoint_id). Web: one 'web_visit' per session
    plus one row per page view and per conversion event (form submit, sign-up);
    paid sessions also give an 'ad_click'. Email/DEM/SMS: one row per platform event
    (sent, delivered, open, click, bounce, unsubscribe). Social: comments and
    mentions. CRM: lead created. Shop: order. Survey: NPS answer. Reviews: review.
    Events: registration and check-in. List: subscribe / unsubscribe.
-#}

with sessions as (

    select * from {{ ref('int_web__sessions') }}

),

web_events as (

    select * from {{ ref('stg_ga4__events') }}
    where event_name in ('page_view', 'generate_lead', 'form_submit', 'sign_up')
      and ga_session_id is not null

),

web_visits as (

    select
        'web_visit' as touchpoint_type,
        'web' as channel,
        sessions.session_key as source_record_id,
        'user_pseudo_id' as identifier_type,
        sessions.user_pseudo_id as identifier_value,
        sessions.session_start_at_utc as occurred_at_utc,
        sessions.traffic_campaign as utm_campaign,
        sessions.channel_group as traffic_channel,
        sessions.landing_page_path as detail,
        cast(null as {{ dbt.type_numeric() }}) as touchpoint_value
    from sessions

),

ad_clicks as (

    select
        'ad_click', 'ads', session_key, 'user_pseudo_id', user_pseudo_id, session_start_at_utc,
        traffic_campaign, channel_group, traffic_source, cast(null as {{ dbt.type_numeric() }})
    from sessions
    where channel_group in ('paid_search', 'paid_social', 'display')

),

web_actions as (

    select
        case event_name
            when 'page_view' then case when page_path = '/pricing' or page_path like '/pricing/%' then 'pricing_page_view' else 'page_view' end
            when 'sign_up' then 'sign_up'
            else 'form_submit'
        end,
        'web', event_id, 'user_pseudo_id', user_pseudo_id, event_at_utc,
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }}), page_path,
        cast(null as {{ dbt.type_numeric() }})
    from web_events

),

esp_campaigns as (

    select * from {{ ref('stg_esp__campaigns') }}

),

email_events as (

    select
        'email_' || activity.event_type, esp_campaigns.channel, activity.activity_id,
        case when activity.recipient_email is not null then 'email' else 'phone' end,
        coalesce(activity.recipient_email, activity.recipient_phone_e164), activity.event_at_utc,
        esp_campaigns.utm_campaign, esp_campaigns.channel, activity.link_url, cast(null as {{ dbt.type_numeric() }})
    from {{ ref('stg_esp__activity') }} as activity
    left join esp_campaigns on esp_campaigns.esp_campaign_id = activity.esp_campaign_id

),

list_events as (

    select
        'list_' || event_type, 'email', membership_event_id,
        case when subscriber_email is not null then 'email' else 'phone' end,
        coalesce(subscriber_email, subscriber_phone_e164), event_at_utc,
        cast(null as {{ dbt.type_string() }}), signup_source, list_id, cast(null as {{ dbt.type_numeric() }})
    from {{ ref('stg_esp__list_membership') }}

),

social_events as (

    select
        'social_comment', 'social', comment_id,
        case platform when 'instagram' then 'instagram_handle' when 'linkedin' then 'linkedin_handle' else 'facebook_id' end,
        author_handle_normalized, created_at_utc, cast(null as {{ dbt.type_string() }}), platform, post_id,
        cast(null as {{ dbt.type_numeric() }})
    from {{ ref('stg_social__comments') }}
    where author_handle_normalized is not null
    union all
    select
        'social_mention', 'social', mention_id,
        case platform
            when 'instagram' then 'instagram_handle' when 'linkedin' then 'linkedin_handle'
            when 'facebook' then 'facebook_id' else platform || '_handle'
        end,
        author_handle_normalized, created_at_utc, cast(null as {{ dbt.type_string() }}), platform, permalink,
        cast(null as {{ dbt.type_numeric() }})
    from {{ ref('stg_social__mentions') }}
    where author_handle_normalized is not null

),

keyed_single as (

    select * from web_visits
    union all select * from ad_clicks
    union all select * from web_actions
    union all select * from email_events
    union all select * from list_events
    union all select * from social_events

),

single_identifier_touchpoints as (

    select
        keyed_single.*,
        resolved.customer_id
    from keyed_single
    left join {{ ref('int_identity__resolved') }} as resolved
        on resolved.identifier_type = keyed_single.identifier_type
        and resolved.identifier_value = keyed_single.identifier_value

),

{%- set order_identifiers = [('customer_number', 'orders.customer_number'), ('email', 'orders.email'), ('phone', 'orders.phone_e164')] %}
orders as (

    select
        'order' as touchpoint_type, 'shop' as channel, orders.order_id as source_record_id,
        case when orders.customer_number is not null then 'customer_number' when orders.email is not null then 'email' else 'phone' end as identifier_type,
        coalesce(orders.customer_number, orders.email, orders.phone_e164) as identifier_value,
        orders.created_at_utc as occurred_at_utc, orders.utm_campaign, {{ channel_group('orders.utm_source', 'orders.utm_medium') }} as traffic_channel,
        orders.order_number as detail, orders.total_eur as touchpoint_value,
        {{ customer_pick(order_identifiers) }} as customer_id
    from {{ ref('stg_shop__orders') }} as orders
    {{ customer_joins(order_identifiers) }}
    where not orders.is_cancelled

),

{%- set contact_identifiers = [('crm_contact_id', 'leads.crm_contact_id')] %}
leads as (

    select
        'lead_created', 'crm', leads.lead_id, 'crm_contact_id', leads.crm_contact_id, leads.created_at_utc,
        leads.utm_campaign, leads.source_channel, leads.stage, leads.amount_eur,
        {{ customer_pick(contact_identifiers) }}
    from {{ ref('stg_crm__leads') }} as leads
    {{ customer_joins(contact_identifiers) }}

),

{%- set nps_identifiers = [('crm_contact_id', 'nps.crm_contact_id'), ('email', 'nps.respondent_email')] %}
nps_answers as (

    select
        'nps_answer', 'survey', nps.nps_response_id,
        case when nps.crm_contact_id is not null then 'crm_contact_id' else 'email' end,
        coalesce(nps.crm_contact_id, nps.respondent_email), nps.submitted_at_utc,
        cast(null as {{ dbt.type_string() }}), nps.survey_channel, nps.nps_category, cast(nps.nps_score as {{ dbt.type_numeric() }}),
        {{ customer_pick(nps_identifiers) }}
    from {{ ref('stg_survey__nps_responses') }} as nps
    {{ customer_joins(nps_identifiers) }}

),

{%- set review_identifiers = [('customer_number', 'review_orders.customer_number'), ('email', 'reviews.reviewer_email'), ('email', 'review_orders.email')] %}
reviews as (

    select
        'review', 'reviews', reviews.review_id, 'email', reviews.reviewer_email, reviews.submitted_at_utc,
        cast(null as {{ dbt.type_string() }}), reviews.review_platform, reviews.sku, cast(reviews.rating as {{ dbt.type_numeric() }}),
        {{ customer_pick(review_identifiers) }}
    from {{ ref('stg_reviews__product_reviews') }} as reviews
    left join {{ ref('stg_shop__orders') }} as review_orders on review_orders.order_number = reviews.order_number
    {{ customer_joins(review_identifiers) }}

),

{%- set registration_identifiers = [('email', 'registrations.email'), ('phone', 'registrations.phone_e164')] %}
registrations as (

    select
        registrations.registration_id, registrations.registered_at_utc, registrations.checked_in_at_utc,
        registrations.email, registrations.phone_e164, events.utm_campaign, events.event_format, events.marketing_event_id,
        {{ customer_pick(registration_identifiers) }} as customer_id
    from {{ ref('stg_ticketing__registrations') }} as registrations
    left join {{ ref('stg_ticketing__events') }} as events on events.marketing_event_id = registrations.marketing_event_id
    {{ customer_joins(registration_identifiers) }}

),

event_touchpoints as (

    select
        'event_registration', 'events', registration_id,
        case when email is not null then 'email' else 'phone' end, coalesce(email, phone_e164), registered_at_utc,
        utm_campaign, event_format, marketing_event_id, cast(null as {{ dbt.type_numeric() }}), customer_id
    from registrations
    union all
    select
        'event_check_in', 'events', registration_id,
        case when email is not null then 'email' else 'phone' end, coalesce(email, phone_e164), checked_in_at_utc,
        utm_campaign, event_format, marketing_event_id, cast(null as {{ dbt.type_numeric() }}), customer_id
    from registrations
    where checked_in_at_utc is not null

),

identified_customers as (

    select
        customer_id,
        max(case when is_identifying then 1 else 0 end) = 1 as is_identified
    from {{ ref('int_identity__resolved') }}
    group by customer_id

),

all_touchpoints as (

    select * from single_identifier_touchpoints
    union all select * from orders
    union all select * from leads
    union all select * from nps_answers
    union all select * from reviews
    union all select * from event_touchpoints

)

select
    {{ dbt.hash(dbt.concat(['all_touchpoints.touchpoint_type', "'|'", 'all_touchpoints.source_record_id'])) }} as touchpoint_id,
    all_touchpoints.customer_id,
    coalesce(identified_customers.is_identified, false) as is_identified_customer,
    touchpoint_type,
    channel,
    traffic_channel,
    utm_campaign,
    occurred_at_utc,
    cast({{ utc_to_local('occurred_at_utc') }} as date) as occurred_date_local,
    source_record_id,
    identifier_type,
    identifier_value,
    detail,
    case when touchpoint_type in ('order', 'lead_created') then touchpoint_value end as value_eur,
    case when touchpoint_type in ('nps_answer', 'review') then cast(touchpoint_value as {{ dbt.type_int() }}) end as score
from all_touchpoints
left join identified_customers on identified_customers.customer_id = all_touchpoints.customer_id
