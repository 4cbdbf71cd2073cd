select period_start_date, new_visible_customers, new_contacts, new_experience_customers, new_trust_customers,
       contact_conversion_rate, event_participation_rate, average_rating, nps, repeat_customers
from mart_journey_phase_kpis_monthly
order by period_start_date
