select period_start_date, segment_type, segment_value, responses, promoters, passives, detractors,
       promoter_pct, detractor_pct, nps
from mart_nps_monthly
order by period_start_date, segment_type, segment_value
