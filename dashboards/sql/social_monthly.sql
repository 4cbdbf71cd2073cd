select period_start_date, platform, followers_end, follower_growth, page_reach, post_reach,
       posts, engagement, engagement_rate
from mart_social_kpis_monthly
order by period_start_date, platform
