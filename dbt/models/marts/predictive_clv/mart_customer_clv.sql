{#-
    Historical and predictive CLV per customer with an order (grain: customer_id), with the
    CAC of the customer's acquisition channel (mart_clv_by_segment, full-history months):
    historical CLV (catalogue formula, mart_customer_lifetime_value) beside the BG/NBD +
    Gamma-Gamma prediction over the horizon (source ml.customer_clv_predictions);
    CLV / CAC for both.
-#}

with channel_cac as (

    select segment_value as acquisition_channel, cac_eur
    from {{ ref('mart_clv_by_segment') }}
    where segment_type = 'acquisition_channel'

)

select
    historical.customer_id,
    historical.acquisition_channel,
    historical.first_order_cohort,
    historical.orders,
    historical.net_revenue_eur,
    historical.historical_clv_eur,
    predictions.repeat_purchases,
    predictions.expected_purchases,
    predictions.probability_alive,
    predictions.expected_order_value_eur,
    predictions.predicted_clv_eur,
    predictions.horizon_months,
    predictions.annual_discount_rate,
    channel_cac.cac_eur as acquisition_channel_cac_eur,
    {{ safe_divide('historical.historical_clv_eur', 'channel_cac.cac_eur') }} as historical_clv_to_cac_ratio,
    {{ safe_divide('predictions.predicted_clv_eur', 'channel_cac.cac_eur') }} as predicted_clv_to_cac_ratio
from {{ ref('mart_customer_lifetime_value') }} as historical
left join {{ source('ml', 'customer_clv_predictions') }} as predictions on predictions.customer_id = historical.customer_id
left join channel_cac on channel_cac.acquisition_channel = historical.acquisition_channel
