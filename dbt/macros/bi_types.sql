{#-
    BI-friendly types of the published marts (issue 16). Many BI drivers reject HUGEINT (what
    DuckDB gives `sum()` of integers) and decimals wider than 18 digits (what sums of decimals
    become: DECIMAL(38,s)), and Parquet has no 128-bit integer (a HUGEINT column is exported as
    DOUBLE). So a mart casts its final columns:
    - counts and other integer measures: `cast(x as {{ dbt.type_bigint() }})` (BIGINT);
    - money (EUR amounts, columns `*_eur`): `cast(x as {{ type_money() }})` (DECIMAL(18,2));
      money computed by a division or a model (averages, CAC, cost per click, CLV, fractional
      attribution credit) stays DOUBLE like the other ratios, so no rounding to the cent leaks
      into a sum of it;
    - rates, shares, ratios: `type_double()` (DOUBLE, never the 4-byte FLOAT);
    - durations in seconds: `cast(x as {{ type_seconds() }})` (DECIMAL(18,6): exact, so sums do not
      depend on the order of addition, see `elapsed_seconds`).
    Cast only the final column of a mart: inner CTEs keep their exact types, so sums are not
    taken over rounded values. `tests/test_pipeline.py::test_published_marts_have_bi_friendly_types`
    checks the rules on the published file and its Parquet copy.
-#}

{#- The type of money columns: DECIMAL(18,2), 16 digits before the point, 2 after (a cast rounds
    half away from zero to the cent). -#}
{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'crm_kpi_warehouse')()) }}
{%- endmacro %}
{% macro default__type_money() -%}
    decimal(18, 2)
{%- endmacro %}

{#- The type of durations in seconds: DECIMAL(18,6), microsecond precision. -#}
{% macro type_seconds() -%}
    {{ return(adapter.dispatch('type_seconds', 'crm_kpi_warehouse')()) }}
{%- endmacro %}
{% macro default__type_seconds() -%}
    decimal(18, 6)
{%- endmacro %}
