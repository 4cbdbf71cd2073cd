{#-
    Conformed reviews channel: every tool's rows of product reviews in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    Trustpilot: published reviews only (their latest version); no title (product reviews have
    none); verified = the invitation carried an order reference.
-#}

with generic_csv as (

    select
        review_id,
        review_platform,
        sku,
        submitted_at_utc,
        submitted_date_local,
        rating,
        review_title,
        review_body,
        declared_language,
        reviewer_name,
        reviewer_email,
        is_reviewer_email_valid,
        order_number,
        is_verified_purchase,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_reviews__product_reviews') }}

),

trustpilot as (

    select
        review_id,
        review_platform,
        sku,
        submitted_at_utc,
        submitted_date_local,
        rating,
        cast(null as {{ dbt.type_string() }}) as review_title,
        review_body,
        declared_language,
        reviewer_name,
        reviewer_email,
        is_reviewer_email_valid,
        order_number,
        is_verified_purchase,
        _loaded_at,
        'trustpilot' as source_system
    from {{ ref('stg_trustpilot__product_reviews') }}
    where review_state = 'published'

)

select * from generic_csv
union all
select * from trustpilot
