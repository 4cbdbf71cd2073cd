{#-
    Seeds on Spark: dbt-spark 1.11's spark__load_csv_rows binds every CSV value as a parameter,
    and its session connection formats a parameter with f"'{value}'": an empty cell (None to
    agate) reaches the table as the string 'None' (or fails to cast to a number), so a persona
    rule's empty condition no longer matches anything. This override (a root-project macro wins
    over the adapter's) writes the values into the insert as literals instead, an empty cell as
    null, as dbt-duckdb's CSV load does. Same batches and casts as the adapter's macro.
-#}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ seed_value_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro seed_value_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- elif value.strftime is defined -%}
        '{{ value.isoformat(' ') if value.hour is defined else value.isoformat() }}'
    {%- else -%}
        {{ regex_literal(value | string) }}
    {%- endif -%}
{%- endmacro %}
