{#-
    One row per distinct identifier, with an integer surrogate key (node_id) for the
    graph algorithm and the reason, if any, why it must never link people (among them
    too_many_records: on more records than var identity_max_identifier_records).
    node_id order is a hash of the identifier: arbitrary but deterministic.
-#}

with observations as (

    select * from {{ ref('int_identity__observations') }}

),

identifiers as (

    select
        identifier_type,
        identifier_value,
        min(observed_at_utc) as first_seen_at_utc,
        max(observed_at_utc) as last_seen_at_utc,
        count(distinct record_source) as record_source_count,
        count(*) as record_count
    from observations
    group by identifier_type, identifier_value

),

shared_devices as (

    -- devices on which more than N different shop accounts logged in
    select identifier_value
    from observations
    where record_source = 'ga4_login' and identifier_type = 'user_pseudo_id'
    group by identifier_value
    having count(distinct record_id) > {{ var('identity_max_accounts_per_device') }}

),

record_anchors as (

    -- the anchors on each record: identifiers that each stand for one person in their tool
    -- (var identity_max_anchors_per_identifier: anchor type -> how many of them one identifier may meet)
    select distinct
        record_source,
        record_id,
        identifier_type as anchor_type,
        identifier_value as anchor_value
    from observations
    -- noqa: disable=LT05
    where identifier_type in (
            {%- for anchor_type in var('identity_max_anchors_per_identifier') %}'{{ anchor_type }}'{{ ", " if not loop.last }}{% endfor -%}
        )
-- noqa: enable=LT05

),

shared_by_anchors as (

    -- a contact identifier (not an anchor itself, not a record) seen on the records of more distinct
    -- anchors of one type than the var allows: one address on the orders of many devices, one phone
    -- on many CRM contacts. Anchors among themselves: a device with several shop accounts is
    -- shared_devices' rule; a shop account on several devices is one person's.
    -- distinct: one identifier may exceed the limit of several anchor types (grouped by anchor type)
    select distinct  -- noqa: AM01
        observations.identifier_type,
        observations.identifier_value
    from observations
    inner join record_anchors
        on record_anchors.record_source = observations.record_source
        and record_anchors.record_id = observations.record_id
    where observations.identifier_type not in (
            -- noqa: disable=LT05
            'source_record'
            {%- for anchor_type in var('identity_max_anchors_per_identifier') %}, '{{ anchor_type }}'{% endfor -%}
        )
    -- noqa: enable=LT05
    group by observations.identifier_type, observations.identifier_value, record_anchors.anchor_type
    having count(distinct record_anchors.anchor_value) > case record_anchors.anchor_type
            {%- for anchor_type, limit in var('identity_max_anchors_per_identifier').items() %}
                when '{{ anchor_type }}' then {{ limit }}
            {%- endfor %}
        end

),

named_identifiers as (

    select
        'email' as identifier_type,
        email as identifier_value,
        first_name,
        last_name
    from {{ ref('int_crm__contacts') }}
    where email is not null
    union all
    select
        'phone' as identifier_type,
        phone_e164 as identifier_value,
        first_name,
        last_name
    from {{ ref('int_crm__contacts') }}
    where phone_e164 is not null
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        first_name,
        last_name
    from {{ ref('int_events__registrations') }}
    where email is not null
    union all
    select
        'phone' as identifier_type,
        phone_e164 as identifier_value,
        first_name,
        last_name
    from {{ ref('int_events__registrations') }}
    where phone_e164 is not null

),

shared_by_names as (

    -- the same address given by people with different names
    select
        identifier_type,
        identifier_value
    from named_identifiers
    where first_name is not null and last_name is not null
    group by identifier_type, identifier_value
    having count(distinct lower(trim(first_name)) || ' ' || lower(trim(last_name)))
        > {{ var('identity_max_names_per_identifier') }}

),

flagged as (

    select
        identifiers.*,
        case
            when identifiers.identifier_type = 'email'
                -- noqa: disable=LT05
                and {{ dbt.split_part('identifiers.identifier_value', "'@'", 1) }} in (
                    {%- for local_part in var('identity_role_mailbox_local_parts') %}'{{ local_part }}'{{ ", " if not loop.last }}{% endfor -%}
                )
                -- noqa: enable=LT05
                then 'role_mailbox'
            {%- if var('identity_blocklist_emails') %}
                -- noqa: disable=LT05
                when identifiers.identifier_type = 'email' and identifiers.identifier_value in (
                        {%- for value in var('identity_blocklist_emails') %}'{{ value | lower }}'{{ ", " if not loop.last }}{% endfor -%}
                    )
                    -- noqa: enable=LT05
                    then 'blocklisted'
            {%- endif %}
            {%- if var('identity_blocklist_phones') %}
            -- noqa: disable=LT05
            when identifiers.identifier_type = 'phone' and identifiers.identifier_value in (
                    {%- for value in var('identity_blocklist_phones') %}'{{ value }}'{{ ", " if not loop.last }}{% endfor -%}
                )
            -- noqa: enable=LT05
                then 'blocklisted'
            {%- endif %}
            -- flood guard: one value on more records than any person has (a default or pasted value)
            when identifiers.identifier_type <> 'source_record'
                and identifiers.record_count > {{ var('identity_max_identifier_records') }}
                then 'too_many_records'
            when shared_devices.identifier_value is not null then 'shared_device'
            when shared_by_names.identifier_value is not null then 'conflicting_names'
            when shared_by_anchors.identifier_value is not null then 'too_many_anchors'
        end as shared_reason
    from identifiers
    left join shared_devices
        on identifiers.identifier_type = 'user_pseudo_id'
        and shared_devices.identifier_value = identifiers.identifier_value
    left join shared_by_names
        on shared_by_names.identifier_type = identifiers.identifier_type
        and shared_by_names.identifier_value = identifiers.identifier_value
    left join shared_by_anchors
        on shared_by_anchors.identifier_type = identifiers.identifier_type
        and shared_by_anchors.identifier_value = identifiers.identifier_value

)

select
    cast(row_number() over (
        order by
            {{ dbt.hash(dbt.concat(['identifier_type', "':'", 'identifier_value'])) }},
            identifier_type,
            identifier_value
    ) as {{ dbt.type_int() }}) as node_id,
    identifier_type,
    identifier_value,
    shared_reason,
    shared_reason is not null as is_shared,
    first_seen_at_utc,
    last_seen_at_utc,
    record_source_count,
    record_count
from flagged
