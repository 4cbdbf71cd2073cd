-- Sentiment split per local day, channel (social, mentions, reviews, survey) and platform (grain: period_start_date,
-- channel, platform).
{{ sentiment_split([
    ('period_start_date', 'written_date_local'),
    ('channel', 'channel'),
    ('platform', "coalesce(platform, 'unknown')")
]) }}
