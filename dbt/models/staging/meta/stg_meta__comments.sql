{#-
    Comments on the brand's Facebook posts and Instagram media, flattened from the saved Graph
    API responses (posts with their comments nested). Facebook post ids are turned into the
    Business Suite export's bare Post ID so comments join posts.
-#}

with source_rows as (

    select * from {{ source('meta', 'comments') }}

),

posts as (

    select
        case when request_edge = 'media' then 'instagram' else 'facebook' end as platform,
        id as api_post_id,
        comments,
        _source_file,
        _loaded_at
    from source_rows

),

comment_rows as (

    select
        posts.platform,
        posts.api_post_id,
        posts._source_file,
        posts._loaded_at,
        {{ meta_explode('comments.data') }} as comment
    from posts

),

renamed as (

    select
        comment_rows.platform,
        comment.id as comment_id,
        case
            when
                comment_rows.platform = 'facebook'
                then coalesce(nullif(split_part(comment_rows.api_post_id, '_', 2), ''), comment_rows.api_post_id)
            else comment_rows.api_post_id
        end as post_id,
        comment_rows.api_post_id,
        coalesce(comment.parent.id, comment.parent_id) as parent_comment_id,
        comment.{{ adapter.quote('from') }}.id as author_id,
        comment.{{ adapter.quote('from') }}.name as author_name,
        case
            when comment_rows.platform = 'facebook' then comment.{{ adapter.quote('from') }}.id
            else coalesce(comment.username, comment.{{ adapter.quote('from') }}.username)
        end as author_handle,
        {{ to_utc_timestamp('coalesce(comment.created_time, comment.' ~ adapter.quote('timestamp') ~ ')') }}
            as created_at_utc,
        coalesce(comment.message, comment.{{ adapter.quote('text') }}, '') as comment_text,
        comment.like_count,
        comment_rows._source_file,
        comment_rows._loaded_at
    from comment_rows

),

deduplicated as (

    {{ deduplicate('renamed', 'platform, comment_id', '_loaded_at desc, _source_file desc') }}

),

final as (

    select
        platform,
        comment_id,
        post_id,
        api_post_id,
        parent_comment_id,
        author_id,
        author_name,
        author_handle,
        {{ normalize_handle('author_handle') }} as author_handle_normalized,
        created_at_utc,
        cast({{ utc_to_local('created_at_utc') }} as date) as created_date_local,
        comment_text,
        like_count,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from final
