{#-
    WordPress comments (REST API v2, edit context, status=all + status=spam pages): one row per
    comment, the latest loaded copy (a comment moves from hold to approved or spam between pulls).
-#}

with source_rows as (

    select * from {{ source('wordpress', 'comments') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', '_loaded_at desc, _source_file desc, _source_row') }}

),

renamed as (

    select
        id as comment_id,
        post as post_id,
        nullif(parent, 0) as parent_comment_id,
        parent <> 0 as is_reply,
        nullif(author, 0) as author_user_id,
        author <> 0 as is_staff,
        nullif(trim(author_name), '') as author_name,
        {{ normalize_email('author_email') }} as email,
        {{ email_is_valid(normalize_email('author_email')) }} as is_email_valid,
        nullif(trim(author_url), '') as author_url,
        date_gmt as commented_at_utc,
        {{ adapter.quote('date') }} as commented_at_site_local,
        cast({{ utc_to_local('date_gmt') }} as date) as commented_date_local,
        case lower(status) when 'hold' then 'pending' else lower(status) end as comment_status,
        lower(status) = 'approved' as is_approved,
        {{ adapter.quote('type') }} as comment_type,
        {{ html_to_text('content.rendered') }} as comment_text,
        content.raw as comment_raw,
        link as comment_url,
        _loaded_at
    from deduplicated

)

select * from renamed
