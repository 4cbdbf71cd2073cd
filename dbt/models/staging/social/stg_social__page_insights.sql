with source_rows as (

    select * from {{ source('social', 'page_insights') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'platform, page_id, date', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        lower(platform) as platform,
        page_id,
        date as insight_date,
        followers as followers_end_of_day,
        follows,
        unfollows,
        reach,
        impressions,
        _loaded_at
    from deduplicated

)

select * from renamed
