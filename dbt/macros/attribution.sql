{#-
    markov_squarings(squarings): the CTEs matrix_1 .. matrix_<squarings>, each the square of the
    one before (matrix_0, a CTE of the caller: removed_channel, from_state, to_state, probability),
    each followed by a comma. Every engine sums the same products per (removed_channel, from_state,
    to_state).

    DuckDB: a self-join of the previous CTE (read twice; DuckDB materializes a CTE referenced
    twice). Spark inlines a CTE referenced twice into every reference (ReplaceCTERefWithRepartition
    copies its plan), so n squarings by self-join plan 2^n copies of matrix_0 and never finish:
    there each squaring reads the previous matrix once, lists every entry as a left factor (keyed by
    its to_state) and as a right factor (keyed by its from_state), collects both lists per key, and
    multiplies the two lists out (two explodes).
-#}

{% macro markov_squarings(squarings) -%}
    {{ return(adapter.dispatch('markov_squarings')(squarings)) }}
{%- endmacro %}

{% macro default__markov_squarings(squarings) -%}
{% for step in range(squarings) %}
    matrix_{{ step + 1 }} as (

        select
            left_side.removed_channel,
            left_side.from_state,
            right_side.to_state,
            sum(left_side.probability * right_side.probability) as probability
        from matrix_{{ step }} as left_side
        inner join matrix_{{ step }} as right_side
            on right_side.removed_channel = left_side.removed_channel
            and right_side.from_state = left_side.to_state
        group by left_side.removed_channel, left_side.from_state, right_side.to_state

    ),

{% endfor %}
{%- endmacro %}

{% macro spark__markov_squarings(squarings) -%}
{% for step in range(squarings) %}
    matrix_{{ step }}_factors as (

        -- every entry of matrix_{{ step }} once as a left factor (joined on its to_state) and once as a
        -- right factor (joined on its from_state)
        select
            entries.removed_channel,
            factor.join_state,
            factor.side,
            factor.other_state,
            entries.probability
        from matrix_{{ step }} as entries
        lateral view explode(array(
            named_struct('side', 'left', 'join_state', entries.to_state, 'other_state', entries.from_state),
            named_struct('side', 'right', 'join_state', entries.from_state, 'other_state', entries.to_state)
        )) factors as factor

    ),

    matrix_{{ step }}_factors_by_state as (

        select
            removed_channel,
            join_state,
            collect_list(case when side = 'left' then named_struct('state', other_state, 'probability', probability) end)
                as left_factors,
            collect_list(case when side = 'right' then named_struct('state', other_state, 'probability', probability) end)
                as right_factors
        from matrix_{{ step }}_factors
        group by removed_channel, join_state

    ),

    matrix_{{ step + 1 }} as (

        select
            factors.removed_channel,
            left_factor.state as from_state,
            right_factor.state as to_state,
            sum(left_factor.probability * right_factor.probability) as probability
        from matrix_{{ step }}_factors_by_state as factors
        lateral view explode(factors.left_factors) left_factors as left_factor
        lateral view explode(factors.right_factors) right_factors as right_factor
        group by factors.removed_channel, left_factor.state, right_factor.state

    ),

{% endfor %}
{%- endmacro %}
