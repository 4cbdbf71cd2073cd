{{ config(
    materialized='incremental',
    unique_key=['identifier_type', 'identifier_value'],
    incremental_strategy=incremental_replace_strategy(),
    on_schema_change='fail',
    full_refresh=false,
    post_hook="{{ delete_rows_where(this, \"identifier_type = 'user_pseudo_id' and identifier_value in (select user_pseudo_id from \" ~ ref('int_web__device_consent') ~ \" where not has_analytics_consent)\") }}"
) }}

{#-
    The customer-id registry: the id each identifier was given, kept across runs.
    - An identifier keeps its id as long as its component keeps it.
    - A component whose identifiers had ids before takes the id assigned first (the
      oldest customer survives a merge; the other ids stop being used).
    - An id goes to one component only: after a split, the component holding most of
      the old customer's identifiers keeps the id, the others get new ids.
    - A component with no previous id gets its anchor id (int_identity__anchored); if
      that id is already taken, a variant of it.
    full_refresh=false: a full refresh (job full_refresh, dbt --full-refresh) keeps the
    registry; drop the table by hand to start the ids afresh from the anchors.
    - A GA4 browser without analytics consent (int_web__device_consent: never given, or revoked)
      is deleted from the registry after each build (post_hook): no identifier of a person without
      consent stays in the identity models.
-#}

-- depends_on: {{ ref('int_web__device_consent') }}

with current_components as (

    select
        identifier_type,
        identifier_value,
        resolved_component_id,
        anchor_customer_id
    from {{ ref('int_identity__anchored') }}

),

{% if is_incremental() %}

    previous_ids as (

        select
            identifier_type,
            identifier_value,
            customer_id,
            first_assigned_at_utc
        from {{ this }}

    ),

    claims as (

        select
            current_components.resolved_component_id,
            previous_ids.customer_id,
            min(previous_ids.first_assigned_at_utc) as first_assigned_at_utc,
            count(*) as member_count
        from current_components
        inner join previous_ids
            on previous_ids.identifier_type = current_components.identifier_type
            and previous_ids.identifier_value = current_components.identifier_value
        group by current_components.resolved_component_id, previous_ids.customer_id

    ),

    claims_won as (

        select *
        from (
            select
                *,
                row_number() over (
                    partition by customer_id order by member_count desc, resolved_component_id asc
                ) as claim_rank
            from claims
        ) as ranked_claims
        where claim_rank = 1

    ),

    kept_ids as (

        select
            resolved_component_id,
            customer_id
        from (
            select
                *,
                row_number() over (
                    partition by resolved_component_id
                    order by first_assigned_at_utc asc, member_count desc, customer_id asc
                ) as keep_rank
            from claims_won
        ) as ranked_ids
        where keep_rank = 1

    ),

{% endif %}

components as (

    select distinct
        resolved_component_id,
        anchor_customer_id
    from current_components

),

assigned as (

    select
        components.resolved_component_id,
        {% if is_incremental() %}
            case
                when kept_ids.customer_id is not null then kept_ids.customer_id
                when components.anchor_customer_id in (select previous_ids.customer_id from previous_ids)
                    then 'cus_'
                        || substr(
                            {{ dbt.hash(dbt.concat(['components.anchor_customer_id', "':'",
                                'cast(components.resolved_component_id as ' ~ dbt.type_string() ~ ')'])) }},
                            1,
                            16
                        )
                else components.anchor_customer_id
            end as customer_id
        {% else %}
            components.anchor_customer_id as customer_id
        {% endif %}
    from components
    {% if is_incremental() %}
        left join kept_ids on kept_ids.resolved_component_id = components.resolved_component_id
    {% endif %}

)

select
    current_components.identifier_type,
    current_components.identifier_value,
    assigned.customer_id,
    {% if is_incremental() %}
        coalesce(previous_ids.first_assigned_at_utc, {{ dbt.current_timestamp() }}) as first_assigned_at_utc,
    {% else %}
        {{ dbt.current_timestamp() }} as first_assigned_at_utc,
    {% endif %}
    {{ dbt.current_timestamp() }} as last_assigned_at_utc
from current_components
inner join assigned on assigned.resolved_component_id = current_components.resolved_component_id
{% if is_incremental() %}
    left join previous_ids
        on previous_ids.identifier_type = current_components.identifier_type
        and previous_ids.identifier_value = current_components.identifier_value
        and previous_ids.customer_id = assigned.customer_id
{% endif %}
