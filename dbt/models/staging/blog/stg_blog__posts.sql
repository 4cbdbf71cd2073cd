{#- Blog posts from the generic blog CSV (source blog.posts): one row per post, the latest loaded copy. -#}

with source_rows as (

    select * from {{ source('blog', 'posts') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'post_id', '_loaded_at desc, _source_file desc, _source_row') }}

),

renamed as (

    select
        trim(post_id) as post_id,
        {{ html_to_text('title') }} as title,
        nullif(trim(url), '') as post_url,
        {{ url_page_path("nullif(trim(url), '')") }} as page_path,
        case coalesce(lower(trim(status)), '')
            when '' then 'publish'
            when 'published' then 'publish'
            when 'scheduled' then 'future'
            else lower(trim(status))
        end as post_status,
        nullif(trim(author), '') as author,
        published_at as published_at_utc,
        cast({{ utc_to_local('published_at') }} as date) as published_date_local,
        coalesce(updated_at, published_at) as modified_at_utc,
        _loaded_at
    from deduplicated

)

select * from renamed
