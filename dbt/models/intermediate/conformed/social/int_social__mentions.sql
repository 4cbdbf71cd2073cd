{#-
    Conformed social channel: every tool's rows of mentions in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
-#}

with generic_csv as (

    select
        platform,
        mention_id,
        author_handle,
        author_handle_normalized,
        created_at_utc,
        created_date_local,
        mention_text,
        permalink,
        author_followers,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_social__mentions') }}

)

select * from generic_csv
