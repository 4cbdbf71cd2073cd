-- Contacts per lead priority (grade A-D x score band 1-4), from the distribution mart only
-- (no personal columns).
select priority, lead_grade, score_band, contacts, mqls, mqls / nullif(contacts, 0) as mql_share,
       average_lead_score, average_fit_score
from mart_lead_score_distribution
order by lead_grade, score_band
