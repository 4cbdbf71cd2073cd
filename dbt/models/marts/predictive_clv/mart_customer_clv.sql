{#-
    Realized value, historical and predictive CLV per customer with an order (grain:
    customer_id), with the CAC of the customer's acquisition channel (mart_clv_by_segment,
    full-history months).
    - realized_net_revenue_eur and historical_clv_eur (realized + expected future value over
      the estimated remaining lifespan) come from mart_customer_lifetime_value;
    - predicted_future_value_eur = the BG/NBD + Gamma-Gamma expected spend over the horizon
      (source ml.customer_clv_predictions: expected purchases after the observation end x
      expected order value, discounted), which is purely future;
    - predictive_clv_eur = realized + predicted future value, so it is never below realized;
      null when the model could not be fitted.
    CLV / CAC for both lifetime values.
-#}

with channel_cac as (

    select
        segment_value as acquisition_channel,
        cac_eur
    from {{ ref('mart_clv_by_segment') }}
    where segment_type = 'acquisition_channel'

),

customer_values as (

    select
        historical.customer_id,
        historical.acquisition_channel,
        historical.first_order_cohort,
        historical.orders,
        cast(historical.realized_net_revenue_eur as {{ type_money() }}) as realized_net_revenue_eur,
        historical.expected_future_value_eur,
        historical.historical_clv_eur,
        cast(predictions.repeat_purchases as {{ dbt.type_bigint() }}) as repeat_purchases,
        predictions.expected_purchases,
        predictions.probability_alive,
        predictions.expected_order_value_eur,
        predictions.predicted_clv_eur as predicted_future_value_eur,
        historical.realized_net_revenue_eur + predictions.predicted_clv_eur as predictive_clv_eur,
        cast(predictions.horizon_months as {{ dbt.type_bigint() }}) as horizon_months,
        predictions.annual_discount_rate,
        channel_cac.cac_eur as acquisition_channel_cac_eur
    from {{ ref('mart_customer_lifetime_value') }} as historical
    left join
        {{ source('ml', 'customer_clv_predictions') }} as predictions
        on predictions.customer_id = historical.customer_id
    left join channel_cac on channel_cac.acquisition_channel = historical.acquisition_channel

)

select
    customer_values.*,
    {{ safe_divide('historical_clv_eur', 'acquisition_channel_cac_eur') }} as historical_clv_to_cac_ratio,
    {{ safe_divide('predictive_clv_eur', 'acquisition_channel_cac_eur') }} as predictive_clv_to_cac_ratio
from customer_values
