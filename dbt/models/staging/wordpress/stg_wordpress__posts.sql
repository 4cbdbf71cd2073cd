{#- WordPress posts (REST API v2): one row per post, the copy with the latest modified_gmt. -#}

with source_rows as (

    select * from {{ source('wordpress', 'posts') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', 'modified_gmt desc, _loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        id as post_id,
        {{ html_to_text('title.rendered') }} as title,
        slug,
        link as post_url,
        {{ url_page_path('link') }} as page_path,
        lower(status) as post_status,
        {{ adapter.quote('type') }} as post_type,
        author as author_user_id,
        date_gmt as published_at_utc,
        {{ adapter.quote('date') }} as published_at_site_local,
        cast({{ utc_to_local('date_gmt') }} as date) as published_date_local,
        modified_gmt as modified_at_utc,
        {{ html_to_text('excerpt.rendered') }} as excerpt_text,
        categories as category_ids,
        tags as tag_ids,
        featured_media as featured_media_id,
        comment_status,
        sticky as is_sticky,
        _loaded_at
    from deduplicated

)

select * from renamed
