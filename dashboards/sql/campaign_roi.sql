select utm_campaign, attribution_model, is_default_model, attributed_conversions, attributed_first_orders,
       attributed_revenue_eur, revenue_share, campaign_cost_eur::double as campaign_cost_eur, roi, roas
from mart_attribution_campaign_roi
order by utm_campaign, attribution_model
