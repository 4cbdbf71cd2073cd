{#-
    Trustpilot product reviews (private Product Reviews API pages): the latest version of each
    review. Overlapping pulls repeat a review; an edit re-emits it with a later updatedAt and
    possibly other stars and text.
-#}

with source_rows as (

    select
        *,
        coalesce(updatedat, createdat) as version_at
    from {{ source('trustpilot', 'product_reviews') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', 'version_at desc, _loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        deduplicated.id as review_id,
        'trustpilot' as review_platform,
        upper(trim(product.sku)) as sku,
        nullif(trim(product.name), '') as product_name,
        product.id as trustpilot_product_id,
        {{ to_utc_timestamp(adapter.quote('createdAt')) }} as submitted_at_utc,
        cast({{ utc_to_local(to_utc_timestamp(adapter.quote('createdAt'))) }} as date) as submitted_date_local,
        {{ to_utc_timestamp(adapter.quote('updatedAt')) }} as updated_at_utc,
        deduplicated.stars as rating,
        nullif(trim(deduplicated.content), '') as review_body,
        nullif(lower(trim(deduplicated.language)), '') as declared_language,
        nullif(trim(deduplicated.locale), '') as review_locale,
        nullif(trim(consumer.name), '') as reviewer_name,
        {{ normalize_email('consumer.email') }} as reviewer_email,
        {{ email_is_valid(normalize_email('consumer.email')) }} as is_reviewer_email_valid,
        consumer.id as trustpilot_consumer_id,
        nullif(trim(deduplicated.referenceid), '') as order_number,
        nullif(trim(deduplicated.referenceid), '') is not null as is_verified_purchase,
        coalesce(lower(trim(deduplicated.state)), 'published') as review_state,
        coalesce(deduplicated.hasmoderationhistory, false) as has_moderation_history,
        deduplicated.conversationid is not null as has_company_reply,
        {{ trustpilot_list_length("attachments") }} as attachment_count,
        deduplicated.businessunitid as business_unit_id,
        {{ yyyymmdd_to_date('pull_date') }} as pulled_on,
        deduplicated._loaded_at
    from deduplicated

)

select * from renamed
