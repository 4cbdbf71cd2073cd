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
