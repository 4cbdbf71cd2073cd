select marketing_channel, attribution_model, is_default_model, attributed_conversions, attributed_revenue_eur,
       revenue_share, marketing_spend_eur::double as marketing_spend_eur, media_spend_eur::double as media_spend_eur,
       roi, roas, cost_per_conversion_eur
from mart_attribution_channel_roi
order by marketing_channel, attribution_model
