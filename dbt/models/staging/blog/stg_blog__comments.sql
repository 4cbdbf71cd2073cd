{#- Blog comments from the generic blog CSV (source blog.comments): one row per comment, the latest loaded copy. -#}

with source_rows as (

    select * from {{ source('blog', 'comments') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'comment_id', '_loaded_at desc, _source_file desc, _source_row') }}

),

renamed as (

    select
        trim(comment_id) as comment_id,
        trim(post_id) as post_id,
        nullif(trim(parent_comment_id), '') as parent_comment_id,
        nullif(trim(parent_comment_id), '') is not null as is_reply,
        coalesce(is_staff, false) as is_staff,
        nullif(trim(author_name), '') as author_name,
        {{ normalize_email('author_email') }} as email,
        {{ email_is_valid(normalize_email('author_email')) }} as is_email_valid,
        commented_at as commented_at_utc,
        cast({{ utc_to_local('commented_at') }} as date) as commented_date_local,
        lower(trim(status)) as comment_status,
        lower(trim(status)) = 'approved' as is_approved,
        {{ html_to_text('content') }} as comment_text,
        _loaded_at
    from deduplicated

)

select * from renamed
