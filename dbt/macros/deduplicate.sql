{#-
    Keep one row per key: the first by `order_by` (e.g. the most recently loaded copy).
    Portable (no QUALIFY); the helper column _row_rank is left for the caller to drop
    by listing its columns.
-#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    select *
    from (
        select
            *,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as _row_rank
        from {{ relation }}
    ) as ranked
    where _row_rank = 1
{%- endmacro %}

{#- Amount in the reporting currency (EUR): amount x rate of the currency on that day. -#}
{% macro to_reporting_currency(amount, rate_alias) -%}
    round(cast({{ amount }} * {{ rate_alias }}.eur_per_unit as {{ dbt.type_numeric() }}), 2)
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
