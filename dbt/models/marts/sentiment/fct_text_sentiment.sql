{#-
    Every scored text with where and when it was written (grain: text_kind, text_id): social
    comments and brand mentions (channel social / mentions, by platform), blog comments (channel
    blog, by blog platform), product reviews
    (channel reviews, by review platform, with the SKU) and NPS verbatims (channel survey, by
    survey channel). Customer and journey phase come from the touchpoint spine and
    dim_customer_journey: the latest phase the author had reached when writing ('unknown'
    when the author is not resolved to a customer).
-#}

with texts as (

    select
        'social_comment' as text_kind,
        comment_id as text_id,
        'social_comment' as touchpoint_type,
        'social' as channel,
        platform,
        created_at_utc as written_at_utc,
        created_date_local as written_date_local,
        cast(null as {{ dbt.type_string() }}) as sku
    from {{ ref('int_social__comments') }}
    union all
    select
        'social_mention' as text_kind,
        mention_id,
        'social_mention' as touchpoint_type,
        'mentions' as channel,
        platform,
        created_at_utc,
        created_date_local,
        cast(null as {{ dbt.type_string() }})
    from {{ ref('int_social__mentions') }}
    union all
    select
        'review' as text_kind,
        review_id,
        'review' as touchpoint_type,
        'reviews' as channel,
        review_platform,
        submitted_at_utc,
        submitted_date_local,
        sku
    from {{ ref('int_reviews__product_reviews') }}
    union all
    select
        'nps_verbatim' as text_kind,
        nps_response_id,
        'nps_answer' as touchpoint_type,
        'survey' as channel,
        survey_channel,
        submitted_at_utc,
        submitted_date_local,
        cast(null as {{ dbt.type_string() }})
    from {{ ref('int_survey__nps_responses') }}
    union all
    select
        'blog_comment' as text_kind,
        comment_id,
        'blog_comment' as touchpoint_type,
        'blog' as channel,
        source_system,
        commented_at_utc,
        commented_date_local,
        cast(null as {{ dbt.type_string() }})
    from {{ ref('int_blog__comments') }}

),

authors as (

    select
        touchpoint_type,
        source_record_id,
        customer_id
    from {{ ref('fct_customer_touchpoint') }}
    where touchpoint_type in ('social_comment', 'social_mention', 'review', 'nps_answer', 'blog_comment')

)

select
    sentiment.text_kind,
    sentiment.text_id,
    texts.channel,
    texts.platform,
    texts.written_at_utc,
    texts.written_date_local,
    texts.sku,
    authors.customer_id,
    case
        when journeys.customer_id is null then 'unknown'
        when journeys.trust_at_utc <= texts.written_at_utc then 'trust'
        when journeys.experience_at_utc <= texts.written_at_utc then 'experience'
        when journeys.contact_at_utc <= texts.written_at_utc then 'contact'
        else 'visibility'
    end as journey_phase,
    sentiment.language,
    sentiment.sentiment_label,
    sentiment.sentiment_score,
    sentiment.model_version
from {{ source('ml', 'text_sentiment') }} as sentiment
inner join texts
    on texts.text_kind = sentiment.text_kind
    and texts.text_id = sentiment.text_id
left join authors
    on authors.touchpoint_type = texts.touchpoint_type
    and authors.source_record_id = texts.text_id
left join {{ ref('dim_customer_journey') }} as journeys on journeys.customer_id = authors.customer_id
