select period_start_date, channel, exposure_type, interaction_type, exposures, interactions, interaction_rate
from mart_interaction_by_channel_monthly
order by period_start_date, channel
