{#-
    Conformed social channel: every tool's rows of posts in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    Meta: Facebook post_id is the Business Suite export's bare Post ID (the Graph API's is
    {page id}_{post id}); saves are 0 on Facebook and link clicks 0 on Instagram, which export
    none (link_clicks_reported = false); utm_campaign comes from the link in the post's text.
-#}

with generic_csv as (

    select
        platform,
        post_id,
        page_id,
        published_at_utc,
        published_date_local,
        post_type,
        message,
        utm_campaign,
        reach,
        impressions,
        reactions,
        comments,
        shares,
        saves,
        link_clicks,
        _loaded_at,
        'generic_csv' as source_system,
        link_clicks is not null as link_clicks_reported
    from {{ ref('stg_social__posts') }}

),

meta as (

    select
        platform,
        post_id,
        page_id,
        published_at_utc,
        published_date_local,
        post_type,
        message,
        utm_campaign,
        reach,
        impressions,
        reactions,
        comments,
        shares,
        coalesce(saves, 0) as saves,
        coalesce(link_clicks, 0) as link_clicks,
        _loaded_at,
        'meta' as source_system,
        link_clicks is not null as link_clicks_reported
    from {{ ref('stg_meta__posts') }}

)

select * from generic_csv
union all
select * from meta
