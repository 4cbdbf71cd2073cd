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


{#-
    Portable incremental strategies. Every incremental model replaces, in its table, the rows
    whose unique_key occurs in the new batch by the batch (delete+insert): exact, so an
    incremental build equals a full refresh.
    - DuckDB: dbt's delete+insert.
    - Spark: tables are Parquet (Delta, Iceberg and Hudi need jars from outside the package
      registry, so MERGE is not available offline). A model keyed on a day (the key is the table's
      partition column: partition_by=incremental_partition_by(key)) uses insert_overwrite with
      dynamic partition overwrite, which replaces exactly the days of the batch; any other key uses
      the project's delete+insert for Spark (spark_delete_insert_sql below: the table rewritten
      without the batch's keys, plus the batch).
    incremental_replace_strategy(partitioned): the strategy name for config(incremental_strategy=...).
-#}
{% macro incremental_replace_strategy(partitioned=false) -%}
    {{ return(adapter.dispatch('incremental_replace_strategy')(partitioned)) }}
{%- endmacro %}

{% macro default__incremental_replace_strategy(partitioned) -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_replace_strategy(partitioned) -%}
    {{ return('insert_overwrite' if partitioned else 'delete+insert') }}
{%- endmacro %}

{#- partition_by of a model keyed on a day: the key on Spark, none on DuckDB. -#}
{% macro incremental_partition_by(key) -%}
    {{ return(adapter.dispatch('incremental_partition_by')(key)) }}
{%- endmacro %}

{% macro default__incremental_partition_by(key) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__incremental_partition_by(key) -%}
    {{ return([key]) }}
{%- endmacro %}

{#-
    dbt-spark accepts append / merge / insert_overwrite / microbatch only: these two overrides
    of its macros (a root-project macro wins over the adapter's) add delete+insert.
-#}
{#- (dbt-spark's own macros cannot be called by namespace: their rules are repeated here, as of dbt-spark 1.11.) -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- set accepted = ['append', 'merge', 'insert_overwrite', 'microbatch', 'delete+insert'] -%}
    {%- if raw_strategy not in accepted -%}
        {%- do exceptions.raise_compiler_error('Invalid incremental strategy provided: ' ~ raw_strategy
            ~ '. Expected one of: ' ~ accepted | join(', ')) -%}
    {%- endif -%}
    {%- if raw_strategy == 'merge' and file_format not in ['delta', 'iceberg', 'hudi'] -%}
        {%- do exceptions.raise_compiler_error('Invalid incremental strategy provided: merge. You can only choose'
            ~ " this strategy when file_format is set to 'delta' or 'iceberg' or 'hudi'") -%}
    {%- endif -%}
    {%- if raw_strategy in ['insert_overwrite', 'microbatch'] and target.endpoint -%}
        {%- do exceptions.raise_compiler_error('Invalid incremental strategy provided: ' ~ raw_strategy
            ~ '. You cannot use this strategy when connecting via endpoint') -%}
    {%- endif -%}
    {{ return(raw_strategy) }}
{%- endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy == 'delete+insert' -%}
        {{ spark_delete_insert_sql(source, target, unique_key) }}
    {%- elif strategy == 'append' -%}
        {{ get_insert_into_sql(source, target) }}
    {%- elif strategy in ['insert_overwrite', 'microbatch'] -%}
        {%- if strategy == 'microbatch' and not config.get('partition_by') -%}
            {{ exceptions.raise_compiler_error("dbt-spark 'microbatch' incremental strategy requires a `partition_by` config.") }}
        {%- endif -%}
        {{ get_insert_overwrite_sql(source, target, existing) }}
    {%- elif strategy == 'merge' -%}
        {{ get_merge_sql(target, source, unique_key, dest_columns=none, incremental_predicates=incremental_predicates) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error('No known SQL for the incremental strategy provided: ' ~ strategy) }}
    {%- endif -%}
{%- endmacro %}

{#-
    delete+insert on a Parquet table (no DELETE, and Spark cannot overwrite a table it reads):
    the batch is materialized once (<model>__dbt_batch), the table's rows whose key is not in the
    batch plus the batch go into <model>__dbt_rebuilt, which overwrites the table; the returned
    statement drops the helper. Rows with a null key are kept, as delete ... where key in (...) does.
    Cost: a rewrite of the whole table per run (insert_overwrite by day rewrites only the days).
-#}
{% macro spark_delete_insert_sql(source, target, unique_key) -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set batch = target.incorporate(path={"identifier": target.identifier ~ '__dbt_batch'}) -%}
    {%- set rebuilt = target.incorporate(path={"identifier": target.identifier ~ '__dbt_rebuilt'}) -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- do run_query('drop table if exists ' ~ batch) -%}
    {%- do run_query('create table ' ~ batch ~ ' using parquet as select ' ~ columns ~ ' from ' ~ source) -%}
    {%- do run_query('drop table if exists ' ~ rebuilt) -%}
    {%- set rebuild -%}
        create table {{ rebuilt }} using parquet as
        select {{ columns }} from {{ target }} as kept
        where not exists (
            select 1 from {{ batch }} as batch
            where {% for key in keys %}batch.{{ key }} = kept.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
        )
        union all
        select {{ columns }} from {{ batch }}
    {%- endset -%}
    {%- do run_query(rebuild) -%}
    {%- do run_query('drop table if exists ' ~ batch) -%}
    {%- do run_query('insert overwrite table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ rebuilt) -%}
    drop table if exists {{ rebuilt }}
{%- endmacro %}

{#-
    Delete the rows of a table matching a condition (a post_hook): DuckDB deletes; Spark rewrites
    the Parquet table without them (through <table>__dbt_kept). Returns the statement to run.
-#}
{% macro delete_rows_where(relation, condition) -%}
    {{ return(adapter.dispatch('delete_rows_where')(relation, condition)) }}
{%- endmacro %}

{% macro default__delete_rows_where(relation, condition) -%}
    {{ return('delete from ' ~ relation ~ ' where ' ~ condition) }}
{%- endmacro %}

{% macro spark__delete_rows_where(relation, condition) -%}
    {%- set kept = relation.incorporate(path={"identifier": relation.identifier ~ '__dbt_kept'}) -%}
    {%- if execute -%}
        {%- do run_query('drop table if exists ' ~ kept) -%}
        {%- do run_query('create table ' ~ kept ~ ' using parquet as select * from ' ~ relation
            ~ ' where not coalesce((' ~ condition ~ '), false)') -%}
        {%- do run_query('insert overwrite table ' ~ relation ~ ' select * from ' ~ kept) -%}
    {%- endif -%}
    {{ return('drop table if exists ' ~ kept) }}
{%- endmacro %}
