{#- One row per brand post (grain: post_id) with its lifetime insights as of the latest export. -#}

select
    post_id,
    platform,
    page_id,
    published_at_utc,
    published_date_local,
    post_type,
    utm_campaign,
    reach,
    impressions,
    reactions,
    comments,
    shares,
    saves,
    link_clicks,
    reactions + comments + shares + saves + link_clicks as engagement,
    {{ safe_divide('reactions + comments + shares + saves + link_clicks', 'reach') }} as engagement_rate
from {{ ref('int_social__posts') }}
