with source_rows as (

    select * from {{ source('hubspot', 'deals') }}

),

latest_version as (

    {{ deduplicate('source_rows', 'id', 'updatedAt desc, _loaded_at desc, _source_file desc, _source_row desc') }}

),

associations as (

    select
        latest_version.id as lead_id,
        {{ hubspot_unnest('associations.contacts.results') }} as association,
        latest_version._loaded_at
    from latest_version
    where associations.contacts.results is not null

),

pairs as (

    select
        associations.lead_id,
        association.id as crm_contact_id,
        min(association.type) as association_type,
        max(_loaded_at) as _loaded_at
    from associations
    where association.id is not null
    group by associations.lead_id, association.id

),

ranked as (

    select
        lead_id,
        crm_contact_id,
        association_type,
        row_number()
            over (partition by lead_id order by cast(crm_contact_id as {{ dbt.type_bigint() }}), crm_contact_id)
        = 1
            as is_lead_contact,
        _loaded_at
    from pairs

)

select * from ranked
