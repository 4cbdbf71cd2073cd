{#-
    Every interaction of every channel, before any identity join: the incremental spine of
    fct_customer_touchpoint. Grain: one row per touchpoint (touchpoint_id = hash of
    touchpoint_type and source_record_id). Each row carries up to three candidate identifiers
    in priority order; the mart picks the customer from them.

    Incremental (delete+insert by touchpoint_id). The event sources (web sessions and page
    views, ad clicks, email/DEM/SMS activity, list events, social comments and mentions) are
    append-only: a run rebuilds the rows whose source record was loaded after the last build
    (last_loaded_at; for email events also a re-exported campaign) or that are dated in the
    last var('incremental_lookback_days') days before the latest touchpoint day. The entity
    sources (orders, leads, NPS answers, reviews, event registrations, blog comments) change in place
    (cancellations, check-ins, late FX rates, a review's order) and are small: every run
    rebuilds all of them. A touchpoint that stops existing (an order cancelled, a check-in
    withdrawn) stays as a row with is_void, so a later run overwrites it; the mart drops void
    rows. Rows deleted from a source extract need a full refresh.
    GA4 consent: a web touchpoint (visit, ad click, page view, form) sent with analytics storage
    denied keeps its row (touchpoint counts) but no candidate identifier, so no customer; a browser
    without analytics consent is in no customer anyway (int_web__device_consent).
-#}

{{ config(materialized='incremental', unique_key='touchpoint_id', incremental_strategy=incremental_replace_strategy(),
    on_schema_change='sync_all_columns') }}

{%- set incremental = incremental_with_watermark() %}
{%- set no_string = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
{%- set no_number = 'cast(null as ' ~ dbt.type_numeric() ~ ')' %}

with sessions as (

    select * from {{ ref('int_web__sessions') }}
    {%- if incremental %}
        where {{ loaded_or_recent('last_loaded_at', 'session_date_local', 'occurred_date_local') }}
    {%- endif %}

),

web_visits as (

    select
        'web_visit' as touchpoint_type,
        'web' as channel,
        session_key as source_record_id,
        session_start_at_utc as occurred_at_utc,
        traffic_campaign as utm_campaign,
        channel_group as traffic_channel,
        landing_page_path as detail,
        {{ no_number }} as touchpoint_value,
        'user_pseudo_id' as identifier_type,
        user_pseudo_id as identifier_value,
        'user_pseudo_id' as identifier_1_type,
        -- a session with analytics consent denied is attached to no customer (int_web__device_consent)
        case when not coalesce(is_analytics_consent_denied, false) then user_pseudo_id end as identifier_1_value,
        {{ no_string }} as identifier_2_type,
        {{ no_string }} as identifier_2_value,
        {{ no_string }} as identifier_3_type,
        {{ no_string }} as identifier_3_value,
        false as is_void,
        last_loaded_at
    from sessions

),

ad_clicks as (

    select
        'ad_click' as touchpoint_type,
        'ads' as channel,
        session_key,
        session_start_at_utc,
        traffic_campaign,
        channel_group,
        traffic_source,
        {{ no_number }},
        'user_pseudo_id' as identifier_type,
        user_pseudo_id,
        'user_pseudo_id' as identifier_1_type,
        case when not coalesce(is_analytics_consent_denied, false) then user_pseudo_id end as identifier_1_value,
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        false as is_void,
        last_loaded_at
    from sessions
    where channel_group in ('paid_search', 'paid_social', 'display')

),

web_events as (

    select * from {{ ref('int_web__events') }}
    -- noqa: disable=LT02
    where event_name in ('page_view', 'generate_lead', 'form_submit', 'sign_up')
        and ga_session_id is not null
        {%- if incremental %}
            and {{ loaded_or_recent('_loaded_at', 'event_date_local', 'occurred_date_local') }}
        {%- endif %}
    -- noqa: enable=LT02

),

web_actions as (

    select
        case
            when event_name = 'page_view' and (page_path = '/pricing' or page_path like '/pricing/%')
                then 'pricing_page_view'
            when event_name = 'page_view' then 'page_view'
            when event_name = 'sign_up' then 'sign_up'
            else 'form_submit'
        end as touchpoint_type,
        'web' as channel,
        event_id,
        event_at_utc,
        {{ no_string }},
        {{ no_string }},
        page_path,
        {{ no_number }},
        'user_pseudo_id' as identifier_type,
        user_pseudo_id,
        'user_pseudo_id' as identifier_1_type,
        case when not coalesce(is_analytics_consent_denied, false) then user_pseudo_id end as identifier_1_value,
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        false as is_void,
        _loaded_at
    from web_events

),

esp_campaigns as (

    select * from {{ ref('int_email__campaigns') }}

),

email_activity as (

    select
        activity.*,
        case when activity.recipient_email is not null then 'email' else 'phone' end as recipient_type,
        coalesce(activity.recipient_email, activity.recipient_phone_e164) as recipient,
        esp_campaigns.channel as campaign_channel,
        esp_campaigns.utm_campaign as campaign_utm_campaign,
        {{ latest('activity._loaded_at', 'esp_campaigns._loaded_at') }} as record_loaded_at
    from {{ ref('int_email__activity') }} as activity
    left join esp_campaigns on esp_campaigns.esp_campaign_id = activity.esp_campaign_id
    {%- if incremental %}
        where {{ loaded_or_recent('activity._loaded_at', 'activity.event_date_local', 'occurred_date_local') }}  -- noqa: LT05
            or esp_campaigns._loaded_at > (select max(watermark.last_loaded_at) from {{ this }} as watermark)
    {%- endif %}

),

email_events as (

    select
        'email_' || event_type as touchpoint_type,
        campaign_channel,
        activity_id,
        event_at_utc,
        campaign_utm_campaign,
        campaign_channel as traffic_channel,
        link_url,
        {{ no_number }},
        recipient_type,
        recipient,
        recipient_type as identifier_1_type,
        recipient as identifier_1_value,
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        false as is_void,
        record_loaded_at
    from email_activity

),

list_memberships as (

    select
        *,
        case when subscriber_email is not null then 'email' else 'phone' end as subscriber_type,
        coalesce(subscriber_email, subscriber_phone_e164) as subscriber
    from {{ ref('int_email__list_membership') }}
    {%- if incremental %}
        where {{ loaded_or_recent('_loaded_at', 'event_date_local', 'occurred_date_local') }}
    {%- endif %}

),

list_events as (

    select
        'list_' || event_type as touchpoint_type,
        'email' as channel,
        membership_event_id,
        event_at_utc,
        {{ no_string }},
        signup_source,
        list_id,
        {{ no_number }},
        subscriber_type,
        subscriber,
        subscriber_type as identifier_1_type,
        subscriber as identifier_1_value,
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        false as is_void,
        _loaded_at
    from list_memberships

),

social_authors as (

    select
        'social_comment' as touchpoint_type,
        comment_id as source_record_id,
        created_at_utc,
        platform,
        post_id as detail,
        case platform
            when 'instagram' then 'instagram_handle' when 'linkedin' then 'linkedin_handle' else 'facebook_id'
        end as author_type,
        author_handle_normalized,
        _loaded_at
    from {{ ref('int_social__comments') }}
    where author_handle_normalized is not null
    union all
    select
        'social_mention' as touchpoint_type,
        mention_id,
        created_at_utc,
        platform,
        permalink,
        case platform
            when 'instagram' then 'instagram_handle' when 'linkedin' then 'linkedin_handle'
            when 'facebook' then 'facebook_id' else platform || '_handle'
        end as author_type,
        author_handle_normalized,
        _loaded_at
    from {{ ref('int_social__mentions') }}
    where author_handle_normalized is not null

),

social_events as (

    select
        touchpoint_type,
        'social' as channel,
        source_record_id,
        created_at_utc,
        {{ no_string }},
        platform,
        detail,
        {{ no_number }},
        author_type,
        author_handle_normalized,
        author_type as identifier_1_type,
        author_handle_normalized as identifier_1_value,
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        false as is_void,
        _loaded_at
    from social_authors
    {%- if incremental %}
        where {{ loaded_or_recent('_loaded_at', 'cast(' ~ utc_to_local('created_at_utc') ~ ' as date)', 'occurred_date_local') }}  -- noqa: LT05
    {%- endif %}

),

orders as (

    select
        'order' as touchpoint_type,
        'shop' as channel,
        order_id,
        created_at_utc,
        utm_campaign,
        {{ channel_group('utm_source', 'utm_medium') }},
        order_number,
        total_eur,
        case
            when customer_number is not null then 'customer_number' when email is not null then 'email' else 'phone'
        end as identifier_type,
        coalesce(customer_number, email, phone_e164) as identifier_value,
        -- the order itself last: it resolves to its own evidence (phone, GA4 purchase device) when
        -- the account and email are shared, never to a shared identifier's customer
        'customer_number' as identifier_1_type,
        customer_number,
        'email' as identifier_2_type,
        email,
        'source_record' as identifier_3_type,
        {{ source_record_key("'shop_order'", 'order_id') }},
        is_cancelled,
        _loaded_at
    from {{ ref('int_commerce__orders') }}

),

leads as (

    select
        'lead_created' as touchpoint_type,
        'crm' as channel,
        lead_id,
        created_at_utc,
        utm_campaign,
        source_channel,
        stage,
        amount_eur,
        'crm_contact_id' as identifier_type,
        crm_contact_id,
        'crm_contact_id' as identifier_1_type,
        crm_contact_id as identifier_1_value,
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        {{ no_string }},
        false as is_void,
        _loaded_at
    from {{ ref('int_crm__leads') }}

),

nps_answers as (

    -- CRM contact, then email, then phone (SMS surveys); without any, the customer of the order surveyed
    select
        'nps_answer' as touchpoint_type,
        'survey' as channel,
        answers.nps_response_id as source_record_id,
        answers.submitted_at_utc as occurred_at_utc,
        {{ no_string }} as utm_campaign,
        answers.survey_channel as traffic_channel,
        answers.nps_category as detail,
        cast(answers.nps_score as {{ dbt.type_numeric() }}) as touchpoint_value,
        case
            when answers.crm_contact_id is not null then 'crm_contact_id'
            when answers.respondent_email is not null then 'email'
            when answers.respondent_phone_e164 is not null then 'phone'
            else 'customer_number'
        end as identifier_type,
        coalesce(
            answers.crm_contact_id,
            answers.respondent_email,
            answers.respondent_phone_e164,
            surveyed_orders.customer_number
        ) as identifier_value,
        'crm_contact_id' as identifier_1_type,
        answers.crm_contact_id as identifier_1_value,
        'email' as identifier_2_type,
        coalesce(answers.respondent_email, surveyed_orders.email) as identifier_2_value,
        -- the response itself when it carries an identifier (its phone included), else the order surveyed
        'source_record' as identifier_3_type,
        case
            when answers.respondent_email is not null
                or answers.crm_contact_id is not null
                or answers.respondent_phone_e164 is not null
                then {{ source_record_key("'nps_response'", 'answers.nps_response_id') }}
            else {{ source_record_key("'shop_order'", 'surveyed_orders.order_id') }}
        end as identifier_3_value,
        false as is_void,
        {{ latest('answers._loaded_at', 'surveyed_orders._loaded_at') }} as last_loaded_at
    from {{ ref('int_survey__nps_responses') }} as answers
    left join
        {{ ref('int_commerce__orders') }} as surveyed_orders
        on surveyed_orders.order_number = answers.order_number

),

reviews as (

    -- the customer of the reviewed order comes first, then the reviewer's and the order's email
    select
        'review' as touchpoint_type,
        'reviews' as channel,
        reviews.review_id,
        reviews.submitted_at_utc,
        {{ no_string }},
        reviews.review_platform,
        reviews.sku,
        cast(reviews.rating as {{ dbt.type_numeric() }}),
        'email' as identifier_type,
        reviews.reviewer_email,
        'customer_number' as identifier_1_type,
        review_orders.customer_number,
        'email' as identifier_2_type,
        reviews.reviewer_email as identifier_2_value,
        -- the review's record: the reviewed order (which carries both emails), else the review itself
        'source_record' as identifier_3_type,
        case
            when
                review_orders.order_id is not null
                then {{ source_record_key("'shop_order'", 'review_orders.order_id') }}
            when
                reviews.reviewer_email is not null
                then {{ source_record_key("'product_review'", 'reviews.review_id') }}
        end,
        false as is_void,
        {{ latest('reviews._loaded_at', 'review_orders._loaded_at') }}
    from {{ ref('int_reviews__product_reviews') }} as reviews
    left join {{ ref('int_commerce__orders') }} as review_orders on review_orders.order_number = reviews.order_number

),

registrations as (

    select
        registrations.registration_id,
        registrations.registered_at_utc,
        registrations.checked_in_at_utc,
        case when registrations.email is not null then 'email' else 'phone' end as registrant_type,
        coalesce(registrations.email, registrations.phone_e164) as registrant,
        registrations.email,
        registrations.phone_e164,
        registrations.is_cancelled,
        events.utm_campaign,
        events.event_format,
        events.marketing_event_id,
        {{ latest('registrations._loaded_at', 'events._loaded_at') }} as record_loaded_at
    from {{ ref('int_events__registrations') }} as registrations
    left join {{ ref('int_events__events') }} as events on events.marketing_event_id = registrations.marketing_event_id

),

event_touchpoints as (

    select
        'event_registration' as touchpoint_type,
        'events' as channel,
        registration_id,
        registered_at_utc,
        utm_campaign,
        event_format,
        marketing_event_id,
        {{ no_number }},
        registrant_type,
        registrant,
        'email' as identifier_1_type,
        email,
        'phone' as identifier_2_type,
        phone_e164,
        'source_record' as identifier_3_type,
        {{ source_record_key("'event_registration'", 'registration_id') }},
        coalesce(is_cancelled, false) as is_void,
        record_loaded_at
    from registrations
    union all
    -- a registration without check-in keeps a void check-in row: a withdrawn check-in disappears
    select
        'event_check_in' as touchpoint_type,
        'events' as channel,
        registration_id,
        checked_in_at_utc,
        utm_campaign,
        event_format,
        marketing_event_id,
        {{ no_number }},
        registrant_type,
        registrant,
        'email' as identifier_1_type,
        email,
        'phone' as identifier_2_type,
        phone_e164,
        'source_record' as identifier_3_type,
        {{ source_record_key("'event_registration'", 'registration_id') }},
        checked_in_at_utc is null or coalesce(is_cancelled, false) as is_void,
        record_loaded_at
    from registrations

),

blog_comments as (

    -- a comment counts once approved and written by a reader (not the blog's staff); a comment
    -- moderated away later stays as a void row
    select
        'blog_comment' as touchpoint_type,
        'blog' as channel,
        comment_id,
        commented_at_utc,
        {{ no_string }},
        source_system,
        post_id,
        {{ no_number }},
        'email' as identifier_type,
        email,
        'email' as identifier_1_type,
        email as identifier_1_value,
        'source_record' as identifier_2_type,
        {{ source_record_key("'blog_comment'", 'comment_id') }},
        {{ no_string }},
        {{ no_string }},
        not coalesce(is_approved and not is_staff, false) as is_void,
        _loaded_at
    from {{ ref('int_blog__comments') }}

),

unioned as (

    select * from web_visits
    union all
    select * from ad_clicks
    union all
    select * from web_actions
    union all
    select * from email_events
    union all
    select * from list_events
    union all
    select * from social_events
    union all
    select * from orders
    union all
    select * from leads
    union all
    select * from nps_answers
    union all
    select * from reviews
    union all
    select * from event_touchpoints
    union all
    select * from blog_comments

)

select
    {{ dbt.hash(dbt.concat(['touchpoint_type', "'|'", 'source_record_id'])) }} as touchpoint_id,
    touchpoint_type,
    channel,
    traffic_channel,
    utm_campaign,
    occurred_at_utc,
    cast({{ utc_to_local('occurred_at_utc') }} as date) as occurred_date_local,
    source_record_id,
    identifier_type,
    identifier_value,
    identifier_1_type,
    identifier_1_value,
    identifier_2_type,
    identifier_2_value,
    identifier_3_type,
    identifier_3_value,
    detail,
    case when touchpoint_type in ('order', 'lead_created') then touchpoint_value end as value_eur,
    case when touchpoint_type in ('nps_answer', 'review') then cast(touchpoint_value as {{ dbt.type_int() }}) end
        as score,
    is_void,
    last_loaded_at
from unioned
