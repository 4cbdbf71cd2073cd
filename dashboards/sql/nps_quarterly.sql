select period_start_date, strftime(period_start_date, '%Y') || '-Q' || quarter(period_start_date) as quarter,
       segment_type, segment_value, responses, promoters, passives, detractors, promoter_pct, detractor_pct, nps
from mart_nps_quarterly
order by period_start_date, segment_type, segment_value
