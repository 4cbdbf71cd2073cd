{#-
    Page (Facebook) and account (Instagram) insights, flattened from the saved Graph API
    responses: one row per metric value. Time-series values get the Pacific day their end_time
    closes; total_value metrics (Instagram views, follows_and_unfollows) get the day(s) of the
    request from the file name, one row for the total and one per breakdown result.
-#}

with source_rows as (

    select * from {{ source('meta', 'page_insights') }}

),

metrics as (

    select
        case when substr(name, 1, 5) = 'page_' then 'facebook' else 'instagram' end as platform,
        split_part(id, '/insights/', 1) as object_id,
        name as metric,
        period,
        title as metric_title,
        {{ adapter.quote('values') }} as series,
        total_value,
        request_since,
        request_until,
        _source_file,
        _loaded_at
    from source_rows

),

series_points as (

    select
        platform,
        object_id,
        metric,
        period,
        metric_title,
        request_since,
        request_until,
        _source_file,
        _loaded_at,
        {{ meta_explode('series') }} as point
    from metrics

),

time_series as (

    select
        series_points.platform,
        series_points.object_id,
        series_points.metric,
        series_points.period,
        'time_series' as value_kind,
        {{ meta_day_ending_at('point.end_time') }} as insight_date,
        case when series_points.period = 'day' then {{ meta_day_ending_at('point.end_time') }} end as range_start_date,
        {{ to_utc_timestamp('point.end_time') }} as end_time_utc,
        cast(null as {{ dbt.type_string() }}) as breakdown_key,
        cast(null as {{ dbt.type_string() }}) as breakdown_value,
        point.value as metric_value,
        series_points.metric_title,
        series_points._source_file,
        series_points._loaded_at
    from series_points
    where point.end_time is not null

),

totals as (

    select
        metrics.platform,
        metrics.object_id,
        metrics.metric,
        metrics.period,
        'total_value' as value_kind,
        cast({{ dbt.dateadd('day', -1, 'request_until') }} as date) as insight_date,
        metrics.request_since as range_start_date,
        cast(null as timestamp) as end_time_utc,
        cast(null as {{ dbt.type_string() }}) as breakdown_key,
        cast(null as {{ dbt.type_string() }}) as breakdown_value,
        total_value.value as metric_value,
        metrics.metric_title,
        metrics._source_file,
        metrics._loaded_at
    from metrics
    where total_value.value is not null

),

breakdown_groups as (

    select
        metrics.platform,
        metrics.object_id,
        metrics.metric,
        metrics.period,
        metrics.metric_title,
        metrics.request_since,
        metrics.request_until,
        metrics._source_file,
        metrics._loaded_at,
        {{ meta_explode('total_value.breakdowns') }} as breakdown
    from metrics

),

breakdown_results as (

    select
        breakdown_groups.platform,
        breakdown_groups.object_id,
        breakdown_groups.metric,
        breakdown_groups.period,
        breakdown_groups.metric_title,
        breakdown_groups.request_since,
        breakdown_groups.request_until,
        breakdown_groups._source_file,
        breakdown_groups._loaded_at,
        {{ meta_first_element('breakdown.dimension_keys') }} as breakdown_key,
        {{ meta_explode('breakdown.results') }} as result
    from breakdown_groups

),

breakdowns as (

    select
        breakdown_results.platform,
        breakdown_results.object_id,
        breakdown_results.metric,
        breakdown_results.period,
        'total_value' as value_kind,
        cast({{ dbt.dateadd('day', -1, 'request_until') }} as date) as insight_date,
        breakdown_results.request_since as range_start_date,
        cast(null as timestamp) as end_time_utc,
        breakdown_results.breakdown_key,
        {{ meta_first_element('result.dimension_values') }} as breakdown_value,
        result.value as metric_value,
        breakdown_results.metric_title,
        breakdown_results._source_file,
        breakdown_results._loaded_at
    from breakdown_results

),

metric_values as (

    select * from time_series
    union all
    select * from totals
    union all
    select * from breakdowns

),

deduplicated as (

    {{ deduplicate(
        'metric_values',
        "platform, object_id, metric, period, value_kind, insight_date, range_start_date, breakdown_key, breakdown_value",
        '_loaded_at desc, _source_file desc'
    ) }}

),

final as (

    select
        platform,
        object_id,
        metric,
        period,
        value_kind,
        insight_date,
        range_start_date,
        end_time_utc,
        breakdown_key,
        breakdown_value,
        metric_value,
        metric_title,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from final
