-- Sentiment split per month, journey phase of the author and channel (grain: period_start_date, journey_phase,
-- channel): the Contact phase's emotional metrics (mentions) and the Experience phase's sentiment split.
{{ sentiment_split([
    ('period_start_date', period_start('written_date_local', 'month')),
    ('journey_phase', 'journey_phase'),
    ('channel', 'channel')
]) }}
