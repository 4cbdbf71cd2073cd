-- Historical CLV and CAC per first-touch acquisition channel ('all' = blended), with the
-- predictive CLV (BG/NBD + Gamma-Gamma) of the same channel beside it.
select s.segment_value as acquisition_channel, s.customers, s.historical_clv_eur, s.cac_eur, s.clv_to_cac_ratio,
       p.average_predictive_clv_eur, p.predictive_clv_to_cac_ratio, p.average_probability_alive
from mart_clv_by_segment as s
left join mart_clv_by_acquisition_channel as p on p.acquisition_channel = s.segment_value
where s.segment_type in ('all', 'acquisition_channel')
order by s.segment_type = 'all' desc, s.customers desc
