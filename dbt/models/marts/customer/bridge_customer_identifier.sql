{#- Every identifier seen, mapped to exactly one customer. Grain: identifier_type + identifier_value. -#}

with resolved as (

    select * from {{ ref('int_identity__resolved') }}

),

sources as (

    select
        identifier_type,
        identifier_value,
        {{ distinct_listagg('record_source', "','") }} as record_sources
    from (
        select distinct
            identifier_type,
            identifier_value,
            record_source
        from {{ ref('int_identity__observations') }}
    ) as distinct_sources
    group by identifier_type, identifier_value

)

select
    resolved.customer_id,
    resolved.identifier_type,
    resolved.identifier_value,
    sources.record_sources,
    resolved.is_shared,
    resolved.shared_reason,
    resolved.is_in_oversized_component,
    resolved.first_seen_at_utc,
    resolved.last_seen_at_utc,
    resolved.record_count
from resolved
left join sources
    on sources.identifier_type = resolved.identifier_type
    and sources.identifier_value = resolved.identifier_value
