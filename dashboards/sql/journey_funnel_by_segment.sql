select segment_type, segment_value, customers_visibility, customers_contact, customers_experience, customers_trust,
       visibility_to_contact_rate, contact_to_experience_rate, experience_to_trust_rate
from mart_journey_funnel_by_segment
order by segment_type, customers_visibility desc
