{#-
    Materialization `connected_components`: the model's SQL returns an undirected
    integer edge list (columns `src`, `dst`); the table built holds one row per node
    that has an edge, with `component_id` = the smallest node id of its component.

    Algorithm: min-label contraction. Each round labels every node with the smallest
    id of its closed neighbourhood, then contracts the graph to those labels
    (deduplicated edges between different labels), so the graph shrinks
    geometrically and the number of rounds grows with log(size), not with the
    longest path (plain min-label propagation needs one round per hop: a 10,000-hop
    chain would need 10,000 rounds). The per-round label maps are then composed
    backward. Only `create table as`, joins and group-bys: portable across adapters.

    Config: max_rounds (iteration guard, default 64): the build fails rather than
    return a partial result.
-#}

{#- Helper tables are temporary where that means "in memory" (DuckDB); where a temporary
    relation is a view (Spark) they are real tables, or every round would recompute the last. -#}
{% macro cc_temporary_helpers() -%}
    {{ return(adapter.dispatch('cc_temporary_helpers', 'crm_kpi_warehouse')()) }}
{%- endmacro %}
{% macro default__cc_temporary_helpers() -%}
    {{ return(false) }}
{%- endmacro %}
{% macro duckdb__cc_temporary_helpers() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro _cc_relation(base, suffix) -%}
    {%- set identifier = base.identifier ~ '__cc_' ~ suffix -%}
    {%- if cc_temporary_helpers() -%}
        {{ return(api.Relation.create(identifier=identifier, type='table')) }}
    {%- endif -%}
    {{ return(api.Relation.create(database=base.database, schema=base.schema, identifier=identifier, type='table')) }}
{%- endmacro %}

{% macro _cc_create(relation, sql) -%}
    {% do run_query("drop table if exists " ~ relation) %}
    {% do run_query(get_create_table_as_sql(cc_temporary_helpers(), relation, sql)) %}
{%- endmacro %}

{% materialization connected_components, default %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set max_rounds = config.get('max_rounds', 64) | int -%}
    {%- set helpers = [] -%}

    {{ run_hooks(pre_hooks) }}

    {%- set edges_0 = _cc_relation(this, 'e0') -%}
    {% do helpers.append(edges_0) %}
    {#- edges are kept undirected: one row per pair, either orientation -#}
    {% do _cc_create(edges_0, "select src, dst from (" ~ sql ~ ") as model_edges where src <> dst") %}

    {%- set state = namespace(done=false, rounds=0) -%}
    {% for round in range(max_rounds) %}
        {% if not state.done %}
            {%- set edges = _cc_relation(this, 'e' ~ round) -%}
            {%- set labels = _cc_relation(this, 'l' ~ round) -%}
            {%- set next_edges = _cc_relation(this, 'e' ~ (round + 1)) -%}
            {% do helpers.append(labels) %}
            {% do helpers.append(next_edges) %}
            {% do _cc_create(labels,
                "select node, least(node, min(neighbour)) as label from ("
                ~ "select src as node, dst as neighbour from " ~ edges
                ~ " union all select dst, src from " ~ edges ~ ") as both_directions group by node") %}
            {% do _cc_create(next_edges,
                "select distinct least(src_label.label, dst_label.label) as src,"
                ~ " greatest(src_label.label, dst_label.label) as dst from " ~ edges ~ " as e"
                ~ " join " ~ labels ~ " as src_label on src_label.node = e.src"
                ~ " join " ~ labels ~ " as dst_label on dst_label.node = e.dst"
                ~ " where src_label.label <> dst_label.label") %}
            {%- set remaining = run_query("select count(*) from " ~ next_edges).columns[0].values()[0] -%}
            {%- set state.rounds = round + 1 -%}
            {% if remaining == 0 %}
                {%- set state.done = true -%}
            {% endif %}
        {% endif %}
    {% endfor %}
    {% if not state.done %}
        {% for relation in helpers %}{% do run_query("drop table if exists " ~ relation) %}{% endfor %}
        {{ exceptions.raise_compiler_error(
            "connected_components: " ~ this ~ " did not converge in " ~ max_rounds ~ " rounds (raise max_rounds)") }}
    {% endif %}
    {{ log("connected_components: " ~ this ~ " converged in " ~ state.rounds ~ " rounds", info=true) }}

    {#- compose backward: final(v) = f_{k}(...f_1(l_0(v))) -#}
    {%- set last = state.rounds - 1 -%}
    {%- set composed = namespace(relation=_cc_relation(this, 'l' ~ last)) -%}
    {% for round in range(last - 1, -1, -1) %}
        {%- set labels = _cc_relation(this, 'l' ~ round) -%}
        {%- set result = _cc_relation(this, 'f' ~ round) -%}
        {% do helpers.append(result) %}
        {% do _cc_create(result,
            "select l.node, coalesce(f.label, l.label) as label from " ~ labels ~ " as l"
            ~ " left join " ~ composed.relation ~ " as f on f.node = l.label") %}
        {%- set composed.relation = result -%}
    {% endfor %}

    {% do adapter.drop_relation(target_relation) %}
    {% call statement('main') -%}
        {{ get_create_table_as_sql(False, target_relation,
            "select node as node_id, label as component_id from " ~ composed.relation) }}
    {%- endcall %}

    {% for relation in helpers %}
        {% do run_query("drop table if exists " ~ relation) %}
    {% endfor %}

    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
