{#-
    Marketing touches (grain: touchpoint_id): the touchpoints an attribution model can credit,
    those of fct_customer_touchpoint whose type is in var('attribution_touchpoint_types') (web
    sessions, ad clicks, email/DEM/SMS clicks, social comments and mentions, event registrations
    and check-ins), with their marketing channel. A paid session gives a web_visit and an
    ad_click with the same source record: one touch, the ad click.
-#}

with touchpoints as (

    select
        touchpoint_id,
        customer_id,
        touchpoint_type,
        occurred_at_utc,
        utm_campaign,
        {{ touchpoint_marketing_channel('touchpoint_type', 'channel', 'traffic_channel') }} as marketing_channel,
        -- the ad click and the visit of one paid session are one touch: keep the click
        row_number() over (
            partition by customer_id, source_record_id
            order by case when touchpoint_type = 'ad_click' then 0 else 1 end, touchpoint_id
        ) as record_rank
    from {{ ref('fct_customer_touchpoint') }}
    where touchpoint_type in (
            '{{ var("attribution_touchpoint_types") | join("', '") }}'  -- noqa: LT05
        )
        and customer_id is not null
        and occurred_at_utc is not null

)

select
    touchpoint_id,
    customer_id,
    touchpoint_type,
    occurred_at_utc as touched_at_utc,
    marketing_channel,
    coalesce(utm_campaign, '(none)') as utm_campaign
from touchpoints
where record_rank = 1
