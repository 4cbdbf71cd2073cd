{#- Every identifier seen in the current data with its customer: the anchored components with the registry's ids. -#}

select
    customer_ids.customer_id,
    anchored.identifier_type,
    anchored.identifier_value,
    anchored.node_id,
    anchored.is_shared,
    anchored.shared_reason,
    anchored.is_identifying,
    anchored.graph_component_id,
    anchored.graph_component_size,
    anchored.is_in_oversized_component,
    anchored.anchor_identifier_type,
    anchored.anchor_identifier_value,
    anchored.anchor_customer_id,
    customer_ids.first_assigned_at_utc,
    anchored.first_seen_at_utc,
    anchored.last_seen_at_utc,
    anchored.record_count
from {{ ref('int_identity__anchored') }} as anchored
inner join {{ ref('int_identity__customer_ids') }} as customer_ids
    on customer_ids.identifier_type = anchored.identifier_type
    and customer_ids.identifier_value = anchored.identifier_value
