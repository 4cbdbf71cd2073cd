{#-
    Every identifier with its component in this run. A component of the identity graph
    is one customer, unless it has more identifiers than var('identity_max_component_size'):
    then each of its identifiers is kept apart (and reported by a warning test).
    anchor_customer_id, a hash of the component's earliest-seen identifier, is the id a
    component gets when none of its identifiers had one before (int_identity__customer_ids).
-#}

with nodes as (

    select * from {{ ref('int_identity__nodes') }}

),

labelled as (

    select
        nodes.*,
        coalesce(components.component_id, nodes.node_id) as graph_component_id
    from nodes
    left join {{ ref('int_identity__components') }} as components
        on components.node_id = nodes.node_id

),

sized as (

    select
        *,
        -- identifiers of people only: a record (source_record) does not count towards the cap,
        -- or a loyal buyer's orders would break their customer apart
        sum(case when identifier_type = 'source_record' then 0 else 1 end)
            over (partition by graph_component_id)
            as graph_component_size
    from labelled

),

capped as (

    select
        *,
        graph_component_size > {{ var('identity_max_component_size') }} as is_in_oversized_component,
        case
            when graph_component_size > {{ var('identity_max_component_size') }} then node_id
            else graph_component_id
        end as resolved_component_id
    from sized

),

anchored as (

    select
        *,
        first_value(identifier_type) over (
            partition by resolved_component_id
            order by first_seen_at_utc, identifier_type, identifier_value
            rows between unbounded preceding and unbounded following
        ) as anchor_identifier_type,
        first_value(identifier_value) over (
            partition by resolved_component_id
            order by first_seen_at_utc, identifier_type, identifier_value
            rows between unbounded preceding and unbounded following
        ) as anchor_identifier_value
    from capped

)

select
    'cus_'
    || substr({{ dbt.hash(dbt.concat(['anchor_identifier_type', "':'", 'anchor_identifier_value'])) }}, 1, 16)
        as anchor_customer_id,
    resolved_component_id,
    identifier_type,
    identifier_value,
    node_id,
    is_shared,
    shared_reason,
    -- the one definition of "identifies a person": a non-shared email, phone, CRM contact or shop account
    (not is_shared and identifier_type in ('email', 'phone', 'crm_contact_id', 'customer_number')) as is_identifying,
    graph_component_id,
    graph_component_size,
    is_in_oversized_component,
    anchor_identifier_type,
    anchor_identifier_value,
    first_seen_at_utc,
    last_seen_at_utc,
    record_count
from anchored
