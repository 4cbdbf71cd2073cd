-- Sentiment split per month and channel (grain: period_start_date, channel), recomputed from the texts.
{{ sentiment_split([('period_start_date', period_start('written_date_local', 'month')), ('channel', 'channel')]) }}
