select journey_phase, sum(texts) as texts, sum(positive_texts) as positive_texts, sum(negative_texts) as negative_texts,
       sum(positive_texts) / nullif(sum(texts), 0) as positive_rate,
       sum(negative_texts) / nullif(sum(texts), 0) as negative_rate,
       (sum(positive_texts) - sum(negative_texts)) / nullif(sum(texts), 0) as net_sentiment
from mart_sentiment_by_journey_phase_monthly
group by journey_phase
order by journey_phase
