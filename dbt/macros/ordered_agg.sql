{#-
    Ordered string aggregation, the same on every engine (dbt.listagg's order_by_clause is
    ignored by Spark's collect_list, whose order is the shuffle's).

    ordered_listagg(expression, delimiter, order_by, limit_num=none): the non-null values of
    expression joined by delimiter (a SQL string literal), in the order of order_by, a list of
    '<expression> [asc|desc]' (nulls last, in either direction); the first limit_num only.
    Null when no value is non-null. Give a total order (end with a unique tie-breaker): rows
    equal on every key come in an engine-dependent order.

    distinct_listagg(expression, delimiter): each distinct non-null value once, in ascending
    order of the value.
-#}

{% macro ordered_listagg(expression, delimiter, order_by, limit_num=none) -%}
    {{ return(adapter.dispatch('ordered_listagg')(expression, delimiter, order_by, limit_num)) }}
{%- endmacro %}

{%- macro _order_keys(order_by) -%}
    {%- set keys = [] -%}
    {%- for item in ([order_by] if order_by is string else order_by) -%}
        {%- set words = item.strip().split() -%}
        {%- set descending = words | length > 1 and words[-1] | lower == 'desc' -%}
        {%- set has_direction = words | length > 1 and words[-1] | lower in ('asc', 'desc') -%}
        {%- set expression = (item.strip()[:item.strip() | length - words[-1] | length] if has_direction else item).strip() -%}
        {%- do keys.append({'expression': expression, 'descending': descending}) -%}
    {%- endfor -%}
    {{ return(keys) }}
{%- endmacro -%}

{% macro default__ordered_listagg(expression, delimiter, order_by, limit_num) -%}
    {%- set order_clause = [] -%}
    {%- for key in _order_keys(order_by) -%}
        {%- do order_clause.append(key.expression ~ (' desc' if key.descending else ' asc') ~ ' nulls last') -%}
    {%- endfor -%}
    {%- if limit_num -%}
    array_to_string(
        list_slice(list({{ expression }} order by {{ order_clause | join(', ') }}) filter (where {{ expression }} is not null), 1, {{ limit_num }}),
        {{ delimiter }})
    {%- else -%}
    string_agg({{ expression }}, {{ delimiter }} order by {{ order_clause | join(', ') }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__ordered_listagg(expression, delimiter, order_by, limit_num) -%}
    {%- set keys = _order_keys(order_by) -%}
    {#- a comparator on struct fields k0, k1, ...: -1 when l comes first; nulls last -#}
    {%- set comparator -%}
        (l, r) -> case
        {%- for key in keys %}
            {%- set f = 'k' ~ loop.index0 %}
            when l.{{ f }} is null and r.{{ f }} is not null then 1
            when l.{{ f }} is not null and r.{{ f }} is null then -1
            when l.{{ f }} < r.{{ f }} then {{ 1 if key.descending else -1 }}
            when l.{{ f }} > r.{{ f }} then {{ -1 if key.descending else 1 }}
        {%- endfor %}
            else 0 end
    {%- endset -%}
    {%- set sorted -%}
        array_sort(
            collect_list(case when {{ expression }} is not null then named_struct(
                {%- for key in keys %}'k{{ loop.index0 }}', {{ key.expression }}, {% endfor %}'v', {{ expression }}) end),
            {{ comparator }})
    {%- endset -%}
    {%- set values = 'transform(' ~ (('slice(' ~ sorted ~ ', 1, ' ~ limit_num ~ ')') if limit_num else sorted) ~ ', x -> x.v)' -%}
    case when size(collect_list({{ expression }})) > 0 then array_join({{ values }}, {{ delimiter }}) end
{%- endmacro %}

{% macro distinct_listagg(expression, delimiter) -%}
    {{ return(adapter.dispatch('distinct_listagg')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__distinct_listagg(expression, delimiter) -%}
    string_agg(distinct {{ expression }}, {{ delimiter }} order by {{ expression }})
{%- endmacro %}

{% macro spark__distinct_listagg(expression, delimiter) -%}
    case when size(collect_set({{ expression }})) > 0
        then array_join(array_sort(collect_set({{ expression }})), {{ delimiter }}) end
{%- endmacro %}
