{#-
    ROI per channel beside CLV / CAC per channel (grain: marketing_channel): "ROI is the
    snapshot, CLV the film". One row per channel of mart_attribution_channel_roi (the
    '(unattributed)' row excluded) with its spend and, per attribution model, the attributed
    revenue, ROI and ROAS; beside them the channel as an acquisition channel in
    mart_clv_by_segment (segment_type 'acquisition_channel'): customers acquired, historical
    CLV of the segment, CAC and CLV / CAC.
-#}

{%- set models = ['first_touch', 'last_touch', 'last_non_direct_click', 'linear', 'position_based', 'time_decay',
    'data_driven'] %}

with channel_roi as (

    select * from {{ ref('mart_attribution_channel_roi') }}
    where marketing_channel <> '(unattributed)'

),

channel_value as (

    select
        segment_value as marketing_channel,
        customers as acquired_customers,
        historical_clv_eur,
        cac_eur,
        clv_to_cac_ratio
    from {{ ref('mart_clv_by_segment') }}
    where segment_type = 'acquisition_channel'

)

select
    channel_roi.marketing_channel,
    cast(max(channel_roi.marketing_spend_eur) as {{ type_money() }}) as marketing_spend_eur,
    {%- for model in models %}
        max(
            case when channel_roi.attribution_model = '{{ model }}' then channel_roi.attributed_revenue_eur end
        )
            as {{ model }}_revenue_eur,
        max(case when channel_roi.attribution_model = '{{ model }}' then channel_roi.roi end) as {{ model }}_roi,
        max(case when channel_roi.attribution_model = '{{ model }}' then channel_roi.roas end) as {{ model }}_roas,
    {%- endfor %}
    max(channel_value.acquired_customers) as acquired_customers,
    max(channel_value.historical_clv_eur) as historical_clv_eur,
    max(channel_value.cac_eur) as cac_eur,
    max(channel_value.clv_to_cac_ratio) as clv_to_cac_ratio
from channel_roi
left join channel_value on channel_value.marketing_channel = channel_roi.marketing_channel
group by channel_roi.marketing_channel
