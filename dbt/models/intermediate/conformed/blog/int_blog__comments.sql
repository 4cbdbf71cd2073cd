{#-
    Conformed blog channel: every tool's comments in one shape, with the tool in source_system.
    Every moderation state is kept (comment_status); KPIs count approved comments.
-#}

with generic_csv as (

    select
        comment_id,
        post_id,
        parent_comment_id,
        is_reply,
        is_staff,
        author_name,
        email,
        is_email_valid,
        commented_at_utc,
        commented_date_local,
        comment_status,
        is_approved,
        comment_text,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_blog__comments') }}

),

wordpress as (

    select
        cast(comment_id as {{ dbt.type_string() }}) as comment_id,
        cast(post_id as {{ dbt.type_string() }}) as post_id,
        cast(parent_comment_id as {{ dbt.type_string() }}) as parent_comment_id,
        is_reply,
        is_staff,
        author_name,
        email,
        is_email_valid,
        commented_at_utc,
        commented_date_local,
        comment_status,
        is_approved,
        comment_text,
        _loaded_at,
        'wordpress' as source_system
    from {{ ref('stg_wordpress__comments') }}

)

select * from generic_csv
union all
select * from wordpress
