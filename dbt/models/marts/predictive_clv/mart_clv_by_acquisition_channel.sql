{#-
    Realized value, historical and predictive CLV per acquisition channel (grain:
    acquisition_channel): means over the channel's customers (mart_customer_clv), mean
    probability alive, the channel's CAC and CLV / CAC for both (mean CLV / CAC).
-#}

select
    coalesce(acquisition_channel, 'unknown') as acquisition_channel,
    count(*) as customers,
    {{ avg_as_double('realized_net_revenue_eur') }} as average_realized_net_revenue_eur,
    avg(historical_clv_eur) as average_historical_clv_eur,
    avg(predicted_future_value_eur) as average_predicted_future_value_eur,
    avg(predictive_clv_eur) as average_predictive_clv_eur,
    avg(probability_alive) as average_probability_alive,
    max(acquisition_channel_cac_eur) as cac_eur,
    {{ safe_divide('avg(historical_clv_eur)', 'max(acquisition_channel_cac_eur)') }} as historical_clv_to_cac_ratio,
    {{ safe_divide('avg(predictive_clv_eur)', 'max(acquisition_channel_cac_eur)') }} as predictive_clv_to_cac_ratio
from {{ ref('mart_customer_clv') }}
group by coalesce(acquisition_channel, 'unknown')
