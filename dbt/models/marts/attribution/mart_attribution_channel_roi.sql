{#-
    ROI and ROAS per marketing channel and attribution model (grain: marketing_channel,
    attribution_model). Attributed conversions = sum of the credits of the channel's touches;
    attributed revenue = their credited revenue (fct_attribution_credit). Spend = every finance
    spend line of the channel (int_kpi__marketing_spend; finance channels mapped as in
    mart_cac_monthly: sem -> paid_search, social_ads -> paid_social, seo -> organic_search).
    ROI = (attributed revenue - spend) / spend over every cost category; ROAS = attributed
    revenue / media spend (var('roas_cost_categories')); both null without spend. '(unattributed)' holds the revenue the model credits to no touch.
-#}

with attributed as (

    select
        attribution_model,
        marketing_channel,
        sum(credit) as attributed_conversions,
        sum(credited_revenue_eur) as attributed_revenue_eur,
        sum(case when is_first_order then credit else 0 end) as attributed_first_orders
    from {{ ref('fct_attribution_credit') }}
    group by attribution_model, marketing_channel

),

model_totals as (

    select
        attribution_model,
        sum(credited_revenue_eur) as revenue_eur
    from {{ ref('fct_attribution_credit') }}
    group by attribution_model

),

spend as (

    select
        channel as marketing_channel,
        sum(spend_eur) as marketing_spend_eur,
        sum(media_spend_eur) as media_spend_eur
    from {{ ref('int_kpi__marketing_spend') }}
    group by channel

),

channel_models as (

    select
        attributed.marketing_channel,
        model_totals.attribution_model
    from (
        select marketing_channel from attributed
        union
        select marketing_channel from spend
    ) as attributed
    cross join model_totals

)

select
    channel_models.marketing_channel,
    channel_models.attribution_model,
    channel_models.attribution_model = '{{ var("attribution_model") }}' as is_default_model,
    coalesce(attributed.attributed_conversions, 0) as attributed_conversions,
    coalesce(attributed.attributed_first_orders, 0) as attributed_first_orders,
    coalesce(attributed.attributed_revenue_eur, 0) as attributed_revenue_eur,
    {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0)', 'model_totals.revenue_eur') }} as revenue_share,
    cast(coalesce(spend.marketing_spend_eur, 0) as {{ type_money() }}) as marketing_spend_eur,
    cast(coalesce(spend.media_spend_eur, 0) as {{ type_money() }}) as media_spend_eur,
    {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0) - spend.marketing_spend_eur',
        'spend.marketing_spend_eur') }}
        as roi,
    {{ safe_divide('coalesce(attributed.attributed_revenue_eur, 0)', 'nullif(spend.media_spend_eur, 0)') }} as roas,
    {{ safe_divide('spend.marketing_spend_eur', 'attributed.attributed_conversions') }} as cost_per_conversion_eur
from channel_models
inner join model_totals on model_totals.attribution_model = channel_models.attribution_model
left join attributed
    on attributed.marketing_channel = channel_models.marketing_channel
    and attributed.attribution_model = channel_models.attribution_model
left join spend on spend.marketing_channel = channel_models.marketing_channel
