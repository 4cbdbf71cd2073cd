{#-
    The phase KPIs of the customer journey per month (grain: period_start_date).
    Visibility: new visible customers, website sessions, conversion rate and engagement rate
    (site interaction), organic search average position and CTR, paid impressions, social
    page reach. Contact: new contacts; contact conversion rate = customers first visible in
    the month who became contacts in that same month / customers first visible in the month;
    buzz = brand mentions; profile completeness = mean share of the 8 sociodemographic fields
    (first and last name, email, phone, country, language, job title, company) filled in the
    current golden record of the month's new contacts. Experience: new experience customers;
    organic distribution = share of sessions from unpaid channels (organic search, organic
    social, referral, direct); event check-ins and participation rate (check-ins /
    registrations). Trust: new trust customers, reviews, average rating (1-5), NPS, repeat
    customers (customers with an order other than their first). Sentiment of mentions and
    texts comes from the sentiment marts.
-#}

with months as (

    select month_start_date as period_start_date from {{ ref('int_kpi__calendar_months') }}

),

journeys as (

    select
        journey.*,
        {{ period_start('cast(' ~ utc_to_local('journey.contact_at_utc') ~ ' as date)', 'month') }} as contact_month,
        {{ period_start('cast(' ~ utc_to_local('journey.experience_at_utc') ~ ' as date)', 'month') }}
            as experience_month,
        {{ period_start('cast(' ~ utc_to_local('journey.trust_at_utc') ~ ' as date)', 'month') }} as trust_month,
        cast(
            case when customers.first_name is not null then 1 else 0 end
            + case when customers.last_name is not null then 1 else 0 end
            + case when customers.email is not null then 1 else 0 end
            + case when customers.phone_e164 is not null then 1 else 0 end
            + case when customers.country_code is not null then 1 else 0 end
            + case when customers.language is not null then 1 else 0 end
            + case when customers.job_title is not null then 1 else 0 end
            + case when customers.company_name is not null then 1 else 0 end
            as {{ type_double() }}
        ) / 8.0 as profile_completeness
    from {{ ref('dim_customer_journey') }} as journey
    inner join {{ ref('dim_customer') }} as customers on customers.customer_id = journey.customer_id

),

phase_counts as (

    select
        months.period_start_date,
        sum(case when journeys.cohort_month = months.period_start_date then 1 else 0 end) as new_visible_customers,
        sum(case when journeys.contact_month = months.period_start_date then 1 else 0 end) as new_contacts,
        sum(
            case
                when
                    journeys.cohort_month = months.period_start_date
                    and journeys.contact_month = months.period_start_date
                    then 1
                else 0
            end
        )
            as visible_and_contact_in_month,
        avg(case when journeys.contact_month = months.period_start_date then journeys.profile_completeness end)
            as profile_completeness_rate,
        sum(case when journeys.experience_month = months.period_start_date then 1 else 0 end)
            as new_experience_customers,
        sum(case when journeys.trust_month = months.period_start_date then 1 else 0 end) as new_trust_customers
    from months
    cross join journeys
    group by months.period_start_date

),

web as (

    select
        {{ period_start('session_date_local', 'month') }} as period_start_date,
        count(*) as sessions,
        {{ safe_divide('sum(case when has_conversion then 1 else 0 end)', 'count(*)') }} as web_conversion_rate,
        {{ safe_divide('sum(case when is_engaged then 1 else 0 end)', 'count(*)') }} as web_engagement_rate,
        {{ safe_divide(
            "sum(case when channel_group in ('organic_search', 'organic_social', 'referral', 'direct') then 1 else 0 end)",
            'count(*)'
        ) }} as organic_session_share
    from {{ ref('fct_web_session') }}
    group by {{ period_start('session_date_local', 'month') }}

),

paid as (

    select
        period_start_date,
        sum(impressions) as paid_impressions
    from {{ ref('mart_paid_media_kpis_monthly') }}
    group by period_start_date

),

social as (

    select
        period_start_date,
        sum(page_reach) as social_page_reach
    from {{ ref('mart_social_kpis_monthly') }}
    group by period_start_date

),

mentions as (

    select
        {{ period_start('created_date_local', 'month') }} as period_start_date,
        count(*) as mentions
    from {{ ref('int_social__mentions') }}
    group by {{ period_start('created_date_local', 'month') }}

),

events as (

    select
        period_start_date,
        interactions as event_check_ins,
        interaction_rate as event_participation_rate
    from {{ ref('mart_interaction_by_channel_monthly') }}
    where channel = 'events'

),

reviews as (

    select
        {{ period_start('submitted_date_local', 'month') }} as period_start_date,
        count(*) as reviews,
        avg(cast(rating as {{ type_double() }})) as average_rating
    from {{ ref('int_reviews__product_reviews') }}
    group by {{ period_start('submitted_date_local', 'month') }}

),

repeat_buyers as (

    select
        {{ period_start('order_date_local', 'month') }} as period_start_date,
        count(distinct customer_id) as repeat_customers
    from {{ ref('fct_order') }}
    where not is_cancelled and not is_first_order
    group by {{ period_start('order_date_local', 'month') }}

)

select
    months.period_start_date,
    cast(coalesce(phase_counts.new_visible_customers, 0) as {{ dbt.type_bigint() }}) as new_visible_customers,
    coalesce(web.sessions, 0) as sessions,
    web.web_conversion_rate,
    web.web_engagement_rate,
    seo.average_position as seo_average_position,
    seo.click_through_rate as seo_click_through_rate,
    cast(coalesce(paid.paid_impressions, 0) as {{ dbt.type_bigint() }}) as paid_impressions,
    cast(coalesce(social.social_page_reach, 0) as {{ dbt.type_bigint() }}) as social_page_reach,
    cast(coalesce(phase_counts.new_contacts, 0) as {{ dbt.type_bigint() }}) as new_contacts,
    {{ safe_divide('phase_counts.visible_and_contact_in_month', 'phase_counts.new_visible_customers') }}
        as contact_conversion_rate,
    coalesce(mentions.mentions, 0) as mentions,
    phase_counts.profile_completeness_rate,
    cast(coalesce(phase_counts.new_experience_customers, 0) as {{ dbt.type_bigint() }}) as new_experience_customers,
    web.organic_session_share,
    cast(coalesce(events.event_check_ins, 0) as {{ dbt.type_bigint() }}) as event_check_ins,
    events.event_participation_rate,
    cast(coalesce(phase_counts.new_trust_customers, 0) as {{ dbt.type_bigint() }}) as new_trust_customers,
    coalesce(reviews.reviews, 0) as reviews,
    reviews.average_rating,
    nps.nps,
    coalesce(repeat_buyers.repeat_customers, 0) as repeat_customers
from months
left join phase_counts on phase_counts.period_start_date = months.period_start_date
left join web on web.period_start_date = months.period_start_date
left join {{ ref('mart_seo_kpis_monthly') }} as seo on seo.period_start_date = months.period_start_date
left join paid on paid.period_start_date = months.period_start_date
left join social on social.period_start_date = months.period_start_date
left join mentions on mentions.period_start_date = months.period_start_date
left join events on events.period_start_date = months.period_start_date
left join reviews on reviews.period_start_date = months.period_start_date
left join {{ ref('mart_nps_monthly') }} as nps
    on nps.period_start_date = months.period_start_date
    and nps.segment_type = 'all'
left join repeat_buyers on repeat_buyers.period_start_date = months.period_start_date
