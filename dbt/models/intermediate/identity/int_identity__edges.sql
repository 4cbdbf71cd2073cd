{#-
    Undirected edges between identifiers seen on the same record, as integer node
    ids: each identifier of a record links to the record's smallest node (a star).
    Shared identifiers (role mailboxes, blocklist, shared devices) never link.
-#}

with nodes as (

    select
        node_id,
        identifier_type,
        identifier_value
    from {{ ref('int_identity__nodes') }}
    where not is_shared

),

record_nodes as (

    select distinct
        observations.record_source,
        observations.record_id,
        nodes.node_id
    from {{ ref('int_identity__observations') }} as observations
    inner join nodes
        on nodes.identifier_type = observations.identifier_type
        and nodes.identifier_value = observations.identifier_value

),

record_hubs as (

    select
        record_source,
        record_id,
        min(node_id) as hub_node_id
    from record_nodes
    group by record_source, record_id
    having count(*) > 1

)

select distinct
    record_hubs.hub_node_id as src,
    record_nodes.node_id as dst
from record_nodes
inner join record_hubs
    on record_hubs.record_source = record_nodes.record_source
    and record_hubs.record_id = record_nodes.record_id
where record_nodes.node_id <> record_hubs.hub_node_id
