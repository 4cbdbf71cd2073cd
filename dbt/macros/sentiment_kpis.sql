{#-
    Sentiment split over fct_text_sentiment grouped by the given expressions: counts per
    label, their shares (fractions 0-1 of the texts), the mean score (-1..1) and net sentiment
    = (positive - negative) / texts (-1..1). from_relation: a CTE or relation with the columns
    of fct_text_sentiment (default: fct_text_sentiment itself).
-#}
{% macro sentiment_split(group_by, where=none, from_relation=none) -%}
    select
        {%- for column, expression in group_by %}
        {{ expression }} as {{ column }},
        {%- endfor %}
        count(*) as texts,
        cast(sum(case when sentiment_label = 'positive' then 1 else 0 end) as {{ dbt.type_bigint() }}) as positive_texts,
        cast(sum(case when sentiment_label = 'neutral' then 1 else 0 end) as {{ dbt.type_bigint() }}) as neutral_texts,
        cast(sum(case when sentiment_label = 'negative' then 1 else 0 end) as {{ dbt.type_bigint() }}) as negative_texts,
        {{ safe_divide("sum(case when sentiment_label = 'positive' then 1 else 0 end)", 'count(*)') }} as positive_rate,
        {{ safe_divide("sum(case when sentiment_label = 'neutral' then 1 else 0 end)", 'count(*)') }} as neutral_rate,
        {{ safe_divide("sum(case when sentiment_label = 'negative' then 1 else 0 end)", 'count(*)') }} as negative_rate,
        avg(sentiment_score) as average_sentiment_score,
        {{ safe_divide("sum(case when sentiment_label = 'positive' then 1 when sentiment_label = 'negative' then -1 else 0 end)", 'count(*)') }}
            as net_sentiment
    from {{ from_relation or ref('fct_text_sentiment') }}
    {% if where %}where {{ where }}{% endif %}
    group by {% for column, expression in group_by %}{{ expression }}{{ ", " if not loop.last }}{% endfor %}
{%- endmacro %}
