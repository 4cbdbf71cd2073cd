{#-
    Conformed blog channel: every tool's posts in one shape, with the tool in source_system.
    A further blog tool is one more staging folder and one more branch here.
-#}

with generic_csv as (

    select
        post_id,
        title,
        post_url,
        page_path,
        post_status,
        post_status = 'publish' as is_published,
        published_at_utc,
        published_date_local,
        modified_at_utc,
        author,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_blog__posts') }}

),

wordpress as (

    select
        cast(post_id as {{ dbt.type_string() }}) as post_id,
        title,
        post_url,
        page_path,
        post_status,
        post_status = 'publish' as is_published,
        published_at_utc,
        published_date_local,
        modified_at_utc,
        cast(author_user_id as {{ dbt.type_string() }}) as author,
        _loaded_at,
        'wordpress' as source_system
    from {{ ref('stg_wordpress__posts') }}

)

select * from generic_csv
union all
select * from wordpress
