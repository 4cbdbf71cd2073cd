{#- Project generic tests (no dbt packages can be installed here). -#}

{#- The combination of the given columns is unique. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Every value lies in [min_value, max_value] (either bound optional); nulls pass. -#}
{% test value_between(model, column_name, min_value=none, max_value=none) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
      and (
        {%- if min_value is not none %} {{ column_name }} < {{ min_value }}{% endif -%}
        {%- if min_value is not none and max_value is not none %} or{% endif -%}
        {%- if max_value is not none %} {{ column_name }} > {{ max_value }}{% endif %}
      )
{% endtest %}

{#- The model has at least min_rows rows; with unless_empty (a relation), only while that
    relation has rows (a warehouse whose sources give it no input has nothing to count). -#}
{% test row_count_at_least(model, min_rows=1, unless_empty=none) %}
    select count(*) as row_count
    from {{ model }}
    having count(*) < {{ min_rows }}
    {%- if unless_empty is not none %}
        and exists (select 1 from {{ unless_empty }})
    {%- endif %}
{% endtest %}

{#-
    Reconciliation: an aggregate of this model equals an aggregate of another relation
    (e.g. sum(sessions) = count(distinct session_key) of the staged events), within a
    tolerance. Aggregates are SQL expressions; optional where clauses on either side.
-#}
{% test reconciles_with(model, aggregate, compare_model, compare_aggregate, tolerance=0.01, where_clause=none, compare_where=none) %}
    with this_side as (
        select coalesce({{ aggregate }}, 0) as total from {{ model }}
        {% if where_clause %}where {{ where_clause }}{% endif %}
    ),
    other_side as (
        select coalesce({{ compare_aggregate }}, 0) as total from {{ compare_model }}
        {% if compare_where %}where {{ compare_where }}{% endif %}
    )
    select this_side.total as model_total, other_side.total as compare_total
    from this_side cross join other_side
    where abs(this_side.total - other_side.total) > {{ tolerance }}
{% endtest %}

{#-
    A lifetime value is never below the value already realized: rows where column_name is
    below realized_column (by more than tolerance, for rounding) fail; nulls pass.
-#}
{% test not_below_realized_value(model, column_name, realized_column, tolerance=0.005) %}
    select {{ column_name }}, {{ realized_column }}
    from {{ model }}
    where {{ column_name }} is not null
      and {{ column_name }} < coalesce({{ realized_column }}, 0) - {{ tolerance }}
{% endtest %}

{#-
    The column sums to `total` (within a tolerance) in every group of group_by columns,
    e.g. attribution credits sum to 1 per conversion and model.
-#}
{% test sums_to_per_group(model, column_name, group_by, total=1, tolerance=0.000001) %}
    select {{ group_by | join(', ') }}, sum({{ column_name }}) as column_total
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(coalesce(sum({{ column_name }}), 0) - {{ total }}) > {{ tolerance }}
{% endtest %}

{#- Every row satisfies a boolean SQL expression (rows where it is false or null fail). -#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}

{#-
    Per group, the column's sum is at most a limit read from another model on the same key, e.g.
    an order's refunds never exceed the order total. Fails one row per group over the limit (by more
    than tolerance per summed row: each amount was rounded), naming the key, the sum and the limit.
    Groups without a row in compare_model pass (a refund of an order not loaded yet).
-#}
{% test sum_at_most_per_key(model, column_name, key, compare_model, compare_column, compare_key=none, tolerance=0.01) %}
    with grouped as (
        select {{ key }} as group_key, sum({{ column_name }}) as column_total, count(*) as row_count
        from {{ model }}
        where {{ column_name }} is not null
        group by {{ key }}
    )
    select
        grouped.group_key as {{ key }},
        grouped.column_total,
        limits.{{ compare_column }} as limit_value,
        grouped.row_count
    from grouped
    join {{ compare_model }} as limits
        on limits.{{ compare_key or key }} = grouped.group_key
    where grouped.column_total > coalesce(limits.{{ compare_column }}, 0) + {{ tolerance }} * grouped.row_count
{% endtest %}

{#- The model has no rows: every row is a finding (use with severity warn for reports). -#}
{% test has_no_rows(model) %}
    select * from {{ model }}
{% endtest %}

{#-
    No value of the column is on more than max_rows rows (nulls pass): a flood guard for identifiers
    (one email pasted on a whole import). A failing row names the value, its row count and the
    smallest key of its rows.
-#}
{% test value_on_at_most_rows(model, column_name, max_rows, key) %}
    select {{ column_name }}, count(*) as row_count, min({{ key }}) as first_key
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ column_name }}
    having count(*) > {{ max_rows }}
{% endtest %}
