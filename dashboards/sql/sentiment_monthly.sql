select period_start_date, channel, texts, positive_texts, neutral_texts, negative_texts,
       positive_rate, negative_rate, average_sentiment_score, net_sentiment
from mart_sentiment_monthly
order by period_start_date, channel
