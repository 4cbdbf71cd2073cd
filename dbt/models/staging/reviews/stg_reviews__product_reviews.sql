with source_rows as (

    select * from {{ source('reviews', 'product_reviews') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'review_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        review_id,
        lower(platform) as review_platform,
        upper(trim(product_sku)) as sku,
        submitted_at as submitted_at_utc,
        cast({{ utc_to_local('submitted_at') }} as date) as submitted_date_local,
        rating,
        nullif(trim(title), '') as review_title,
        nullif(trim(body), '') as review_body,
        nullif(lower(trim(language)), '') as declared_language,
        nullif(trim(reviewer_name), '') as reviewer_name,
        {{ normalize_email('reviewer_email') }} as reviewer_email,
        {{ email_is_valid(normalize_email('reviewer_email')) }} as is_reviewer_email_valid,
        nullif(trim(order_number), '') as order_number,
        coalesce(verified_purchase, false) as is_verified_purchase,
        _loaded_at
    from deduplicated

)

select * from renamed
