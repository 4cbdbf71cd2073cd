{#-
    The incremental machinery shared by every incremental model (staging, intermediate,
    daily marts): when a model may build incrementally, and which source rows a run rebuilds.
-#}

{#-
    For incremental models: true for a source row loaded after the model's watermark (max
    watermark_column, default last_loaded_at, of {{ this }}) or dated in the last
    var('incremental_lookback_days') days before the model's latest day (column
    latest_date_column of {{ this }}): late-arriving rows.
    var('incremental_reprocess_since') (a YYYY-MM-DD date, unset by default) also selects every
    row dated from that day on: a backfill of a date range without a full refresh.
-#}
{% macro loaded_or_recent(loaded_at, row_date, latest_date_column, watermark_column='last_loaded_at') -%}
    {%- set reprocess_since = var('incremental_reprocess_since', none) %}
    (
        {{ loaded_at }} > (select max(watermark.{{ watermark_column }}) from {{ this }} as watermark)
        or {{ row_date }} >= (
            select cast({{ dbt.dateadd('day', -1 * var('incremental_lookback_days'), 'max(latest.' ~ latest_date_column ~ ')') }} as date)
            from {{ this }} as latest
        )
        {%- if reprocess_since %}
        or {{ row_date }} >= cast('{{ modules.datetime.date.fromisoformat(reprocess_since | string) }}' as date)
        {%- endif %}
    )
{%- endmacro %}


{#-
    True when an incremental model can build incrementally: the table exists and has its
    watermark column (a table built before the model became incremental has not: the model
    then rebuilds every row once, and on_schema_change='sync_all_columns' adds the column).
-#}
{% macro incremental_with_watermark(column='last_loaded_at') -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{ return(column in columns) }}
{%- endmacro %}

{#-
    For an incremental staging model over an append-only raw table: true for the raw rows whose
    dedupe key (or a column of it, `key`) appears among the rows loaded after the model's
    watermark (max _loaded_at of {{ this }}), or dated (row_date, an expression on alias
    new_rows) in the lookback window / since var('incremental_reprocess_since') of
    loaded_or_recent(). Every version of such a record is deduplicated again, and
    delete+insert on the model's key replaces the old version.
-#}
{% macro shares_key_with_new_rows(relation, key, row_date, latest_date_column) -%}
    {{ key }} in (
        select new_rows.{{ key }}
        from {{ relation }} as new_rows
        where {{ loaded_or_recent('new_rows._loaded_at', row_date, latest_date_column, '_loaded_at') }}
    )
{%- endmacro %}
