with source_rows as (

    select * from {{ source('social', 'posts') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'platform, post_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        lower(platform) as platform,
        post_id,
        page_id,
        published_at as published_at_utc,
        cast({{ utc_to_local('published_at') }} as date) as published_date_local,
        lower(post_type) as post_type,
        message,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        reach,
        impressions,
        reactions,
        comments,
        shares,
        coalesce(saves, 0) as saves,
        link_clicks,
        _loaded_at
    from deduplicated

)

select * from renamed
