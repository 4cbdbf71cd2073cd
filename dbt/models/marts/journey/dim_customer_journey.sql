{#-
    Each customer's journey (grain: customer_id): when each phase was first reached, from the
    touchpoint spine; customers that are shared identifiers are left out.
    - Visibility: first exposure (website visit, ad click, social comment or mention).
    - Contact: becomes an identified contact (list subscription incl. SMS/DEM opt-in, form
      submit or sign-up, lead, event registration).
    - Experience: first order, event check-in, or engagement with content (email/DEM/SMS
      click, social comment).
    - Trust: review, NPS promoter answer (9-10) or repeat purchase (second order).
    A later phase implies the earlier ones: a phase is reached at its first qualifying event
    or when a later phase is reached, whichever comes first, so the funnel never widens.
    The cohort is the local month of Visibility.
-#}

with touchpoints as (

    select
        customer_id,
        touchpoint_type,
        occurred_at_utc,
        score,
        case
            when touchpoint_type = 'order'
                then row_number()
                        over (partition by customer_id, touchpoint_type order by occurred_at_utc, touchpoint_id)
        end as order_number_of_customer
    from {{ ref('fct_customer_touchpoint') }}
    where customer_id is not null

),

first_events as (

    select
        customer_id,
        min(
            case
                when
                    touchpoint_type in ('web_visit', 'ad_click', 'social_comment', 'social_mention')
                    then occurred_at_utc
            end
        ) as first_visibility_event_at,
        min(
            case
                when
                    touchpoint_type in (
                        'list_subscribe', 'form_submit', 'sign_up', 'lead_created', 'event_registration'
                    )
                    then occurred_at_utc
            end
        ) as first_contact_event_at,
        min(
            case
                when
                    touchpoint_type in ('order', 'event_check_in', 'email_click', 'social_comment')
                    then occurred_at_utc
            end
        ) as first_experience_event_at,
        min(case
            when touchpoint_type = 'review' then occurred_at_utc
            when touchpoint_type = 'nps_answer' and score >= 9 then occurred_at_utc
            when touchpoint_type = 'order' and order_number_of_customer = 2 then occurred_at_utc
        end) as first_trust_event_at
    from touchpoints
    group by customer_id

),

trust as (

    select
        first_events.*,
        first_events.first_trust_event_at as trust_at_utc,
        {{ earliest('first_experience_event_at', 'first_trust_event_at') }} as experience_at_utc
    from first_events

),

contact as (

    select
        trust.*,
        {{ earliest('first_contact_event_at', 'experience_at_utc') }} as contact_at_utc
    from trust

),

phases as (

    select
        contact.*,
        {{ earliest('first_visibility_event_at', 'contact_at_utc') }} as visibility_at_utc
    from contact

)

select
    phases.customer_id,
    phases.visibility_at_utc,
    phases.contact_at_utc,
    phases.experience_at_utc,
    phases.trust_at_utc,
    case
        when phases.trust_at_utc is not null then 'trust'
        when phases.experience_at_utc is not null then 'experience'
        when phases.contact_at_utc is not null then 'contact'
        when phases.visibility_at_utc is not null then 'visibility'
    end as current_phase,
    {{ period_start('cast(' ~ utc_to_local('phases.visibility_at_utc') ~ ' as date)', 'month') }} as cohort_month
from phases
inner join {{ ref('dim_customer') }} as customers on customers.customer_id = phases.customer_id
where not customers.is_shared_identifier
    and phases.visibility_at_utc is not null
