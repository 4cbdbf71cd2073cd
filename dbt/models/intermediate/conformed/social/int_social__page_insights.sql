{#-
    Conformed social channel: every tool's rows of page insights in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    insight_date is the platform's reporting day. For Meta (Facebook, Instagram) that is a US
    Pacific calendar day (Meta closes its days at midnight America/Los_Angeles; a value stamped
    end_time 2025-03-18T07:00:00+0000 is the one of 2025-03-17), not a Europe/Rome day: daily
    values cannot be re-cut into another zone's days. insight_day_time_zone says which zone's
    day a row is. Instagram has no daily follower total: followers_end_of_day is rebuilt from
    the account snapshots (followers_count at a fetch date) and the daily follows and unfollows
    (is_followers_rebuilt).
-#}

with generic_csv as (

    select
        platform,
        page_id,
        insight_date,
        followers_end_of_day,
        follows,
        unfollows,
        reach,
        impressions,
        _loaded_at,
        'generic_csv' as source_system,
        '{{ var("reporting_timezone") }}' as insight_day_time_zone,
        false as is_followers_rebuilt
    from {{ ref('stg_social__page_insights') }}

),

meta_daily_values as (

    select
        platform,
        object_id,
        insight_date,
        metric,
        breakdown_key,
        breakdown_value,
        metric_value,
        _loaded_at
    from {{ ref('stg_meta__page_insights') }}
    where period = 'day'
        and range_start_date = insight_date

),

{# One row per page and Pacific day; deprecated metric names are fallbacks of their replacements. -#}
meta_page_days as (

    select
        platform,
        object_id as page_id,
        insight_date,
        coalesce(
            max(case when metric = 'page_follows' then metric_value end),
            max(case when metric = 'page_fans' then metric_value end)
        ) as reported_followers,
        coalesce(
            max(case when metric = 'page_daily_follows_unique' then metric_value end),
            max(case when metric = 'page_fan_adds_unique' then metric_value end),
            max(case when metric = 'page_fan_adds' then metric_value end),
            max(case when metric = 'follower_count' then metric_value end),
            max(
                case
                    when
                        metric = 'follows_and_unfollows' and breakdown_value in ('FOLLOWER', 'FOLLOW')
                        then metric_value
                end
            )
        ) as follows,
        coalesce(
            max(case when metric = 'page_daily_unfollows_unique' then metric_value end),
            max(case when metric = 'page_fan_removes_unique' then metric_value end),
            max(case when metric = 'page_fan_removes' then metric_value end),
            max(
                case
                    when
                        metric = 'follows_and_unfollows' and breakdown_value in ('NON_FOLLOWER', 'UNFOLLOW')
                        then metric_value
                end
            )
        ) as unfollows,
        coalesce(
            max(case when metric = 'page_total_media_view_unique' then metric_value end),
            max(case when metric = 'page_impressions_unique' then metric_value end),
            max(case when metric = 'reach' and breakdown_key is null then metric_value end)
        ) as reach,
        coalesce(
            max(case when metric = 'page_media_view' then metric_value end),
            max(case when metric = 'page_impressions' then metric_value end),
            max(case when metric = 'views' and breakdown_key is null then metric_value end),
            max(case when metric = 'impressions' and breakdown_key is null then metric_value end)
        ) as impressions,
        max(_loaded_at) as _loaded_at
    from meta_daily_values
    group by platform, object_id, insight_date

),

{# Instagram: net follows summed day by day, to move an account snapshot to any day. -#}
instagram_days as (

    select
        page_id,
        insight_date,
        sum(coalesce(follows, 0) - coalesce(unfollows, 0)) over (
            partition by page_id order by insight_date rows between unbounded preceding and current row
        ) as cumulative_net_follows
    from meta_page_days
    where platform = 'instagram'

),

{#
    A snapshot on fetch date s holds the total at the end of day s - 1, so
    followers(d) = followers_count(s) - (cumulative(s - 1) - cumulative(d)) = offset(s) + cumulative(d).
-#}
snapshot_offsets as (

    select
        snapshots.account_id as page_id,
        snapshots.snapshot_date,
        snapshots.followers_count - coalesce(instagram_days.cumulative_net_follows, 0) as followers_offset,
        snapshots._loaded_at,
        row_number() over (
            partition by snapshots.account_id, snapshots.snapshot_date
            order by instagram_days.insight_date desc
        ) as day_rank
    from {{ ref('stg_meta__instagram_accounts') }} as snapshots
    left join instagram_days
        on instagram_days.page_id = snapshots.account_id
        and instagram_days.insight_date < snapshots.snapshot_date

),

{# Each day takes the first snapshot after it, else the last one before it. -#}
instagram_anchors as (

    select
        instagram_days.page_id,
        instagram_days.insight_date,
        snapshot_offsets.followers_offset + instagram_days.cumulative_net_follows as rebuilt_followers,
        snapshot_offsets._loaded_at as snapshot_loaded_at,
        row_number() over (
            partition by instagram_days.page_id, instagram_days.insight_date
            order by
                case when snapshot_offsets.snapshot_date > instagram_days.insight_date then 0 else 1 end,
                case
                    when
                        snapshot_offsets.snapshot_date > instagram_days.insight_date
                        then snapshot_offsets.snapshot_date
                end,
                snapshot_offsets.snapshot_date desc
        ) as anchor_rank
    from instagram_days
    inner join snapshot_offsets
        on snapshot_offsets.page_id = instagram_days.page_id
        and snapshot_offsets.day_rank = 1

),

meta as (

    select
        meta_page_days.platform,
        meta_page_days.page_id,
        meta_page_days.insight_date,
        coalesce(meta_page_days.reported_followers, instagram_anchors.rebuilt_followers) as followers_end_of_day,
        meta_page_days.follows,
        meta_page_days.unfollows,
        meta_page_days.reach,
        meta_page_days.impressions,
        case
            when
                instagram_anchors.snapshot_loaded_at > meta_page_days._loaded_at
                then instagram_anchors.snapshot_loaded_at
            else meta_page_days._loaded_at
        end as _loaded_at,
        'meta' as source_system,
        'America/Los_Angeles' as insight_day_time_zone,
        meta_page_days.reported_followers is null
        and instagram_anchors.rebuilt_followers is not null as is_followers_rebuilt
    from meta_page_days
    left join instagram_anchors
        on instagram_anchors.page_id = meta_page_days.page_id
        and instagram_anchors.insight_date = meta_page_days.insight_date
        and instagram_anchors.anchor_rank = 1

)

select * from generic_csv
union all
select * from meta
