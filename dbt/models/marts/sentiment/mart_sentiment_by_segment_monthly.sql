{#-
    Sentiment split per month and customer segment (grain: period_start_date, segment_type,
    segment_value), recomputed from the texts of fct_text_sentiment by their author:
    segment_type all, persona_group, persona (dim_customer_persona) or rfm_segment (the
    author's RFM segment at the end of the month of writing, fct_customer_rfm_monthly;
    var('rfm_no_order_segment') without an order by then); 'unresolved' when the author is not
    resolved to a customer.
-#}

with texts as (

    select
        {{ period_start('texts.written_date_local', 'month') }} as period_start_date,
        texts.sentiment_label,
        texts.sentiment_score,
        coalesce(customers.persona, 'unresolved') as persona,
        coalesce(customers.persona_group, 'unresolved') as persona_group,
        case
            when customers.customer_id is null then 'unresolved'
            else coalesce(rfm.rfm_segment, '{{ var("rfm_no_order_segment") }}')
        end as rfm_segment
    from {{ ref('fct_text_sentiment') }} as texts
    left join {{ ref('dim_customer_persona') }} as customers on customers.customer_id = texts.customer_id
    left join {{ ref('fct_customer_rfm_monthly') }} as rfm
        on rfm.customer_id = texts.customer_id
        and rfm.month_start_date = {{ period_start('texts.written_date_local', 'month') }}

),

segmented as (

    select
        period_start_date,
        'all' as segment_type,
        'all' as segment_value,
        sentiment_label,
        sentiment_score
    from texts
    union all
    select
        period_start_date,
        'persona_group' as segment_type,
        persona_group,
        sentiment_label,
        sentiment_score
    from texts
    union all
    select
        period_start_date,
        'persona' as segment_type,
        persona,
        sentiment_label,
        sentiment_score
    from texts
    union all
    select
        period_start_date,
        'rfm_segment' as segment_type,
        rfm_segment,
        sentiment_label,
        sentiment_score
    from texts

)

{{ sentiment_split([('period_start_date', 'period_start_date'), ('segment_type', 'segment_type'),
    ('segment_value', 'segment_value')], from_relation='segmented') }}
