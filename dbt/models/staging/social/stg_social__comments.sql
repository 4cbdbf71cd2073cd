with source_rows as (

    select * from {{ source('social', 'comments') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'platform, comment_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        lower(platform) as platform,
        comment_id,
        post_id,
        author_handle,
        {{ normalize_handle('author_handle') }} as author_handle_normalized,
        created_at as created_at_utc,
        cast({{ utc_to_local('created_at') }} as date) as created_date_local,
        text as comment_text,
        like_count,
        _loaded_at
    from deduplicated

)

select * from renamed
