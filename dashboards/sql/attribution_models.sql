select attribution_model, is_default_model, conversions, revenue_eur, attributed_revenue_eur,
       unattributed_revenue_share, no_campaign_revenue_share, top_channel, top_channel_revenue_share,
       top_campaign, top_campaign_revenue_share
from mart_attribution_model_comparison
order by attribution_model
