{#-
    Posts of the Business Suite content exports (Facebook and Instagram files together), with
    their lifetime insights as of the latest export. Publish time is read as wall-clock time of
    var meta_publish_time_zone (America/Los_Angeles: Meta's reporting zone; unconfirmed, see
    docs/sources/meta.md) and converted to UTC.
-#}

with source_rows as (

    select
        *,
        {{ meta_file_name_date('report_end') }} as report_end_date,
        {{ meta_file_name_date('report_start') }} as report_start_date
    from {{ source('meta', 'posts') }}

),

deduplicated as (

    {{ deduplicate(
        'source_rows',
        "case when post_type like 'IG %' or page_id is null then 'instagram' else 'facebook' end, post_id",
        '_loaded_at desc, report_end_date desc nulls last, _source_file desc'
    ) }}

),

typed as (

    select
        case when post_type like 'IG %' or page_id is null then 'instagram' else 'facebook' end as platform,
        post_id,
        coalesce(page_id, account_id) as page_id,
        coalesce(page_name, account_name) as page_name,
        account_username,
        {{ meta_local_to_utc('publish_time', var('meta_publish_time_zone', 'America/Los_Angeles')) }}
            as published_at_utc,
        publish_time as publish_time_as_exported,
        post_type as native_post_type,
        case
            when post_type in ('Photos', 'Photo', 'IG image') then 'image'
            when post_type in ('Links', 'Link') then 'link'
            when post_type in ('Videos', 'Video', 'Reels', 'Reel', 'IG reel', 'IG video') then 'video'
            when post_type in ('Status', 'Text', 'Statuses') then 'text'
            when post_type in ('Albums', 'Album', 'IG carousel') then 'carousel'
            when post_type = 'IG story' then 'story'
        end as post_type,
        case
            when page_id is not null and length(coalesce(title, '')) >= length(coalesce(description, '')) then title
            else description
        end as message,
        title,
        description,
        lower(
            trim(
                {{ meta_text_url_parameter("coalesce(title, '') || ' ' || coalesce(description, '')", 'utm_campaign') }}
            )
        ) as utm_campaign,
        permalink,
        duration_sec,
        is_crosspost,
        is_share,
        coalesce(views, impressions) as impressions,
        reach,
        coalesce(reactions, likes) as reactions,
        comments,
        shares,
        saves,
        link_clicks,
        other_clicks,
        total_clicks,
        matched_audience_targeting_consumption_photo_click as photo_clicks,
        follows,
        report_start_date,
        report_end_date,
        _source_file,
        _loaded_at
    from deduplicated

),

final as (

    select
        *,
        cast({{ utc_to_local('published_at_utc') }} as date) as published_date_local
    from typed

)

select * from final
