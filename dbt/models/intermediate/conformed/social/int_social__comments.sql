{#-
    Conformed social channel: every tool's rows of comments in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    Meta: post_id is the post id of int_social__posts (Facebook: the bare Post ID);
    author_handle is the Facebook page-scoped user id (null when the API withheld `from`) or the
    Instagram username as the API gives it (without @).
-#}

with generic_csv as (

    select
        platform,
        comment_id,
        post_id,
        author_handle,
        author_handle_normalized,
        created_at_utc,
        created_date_local,
        comment_text,
        like_count,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_social__comments') }}

),

meta as (

    select
        platform,
        comment_id,
        post_id,
        author_handle,
        author_handle_normalized,
        created_at_utc,
        created_date_local,
        comment_text,
        like_count,
        _loaded_at,
        'meta' as source_system
    from {{ ref('stg_meta__comments') }}

)

select * from generic_csv
union all
select * from meta
