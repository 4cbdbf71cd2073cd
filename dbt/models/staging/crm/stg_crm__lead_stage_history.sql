with source_rows as (

    select * from {{ source('crm', 'lead_stage_history') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'lead_id, stage, changed_at', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        lead_id,
        lower(stage) as stage,
        changed_at as changed_at_utc,
        _loaded_at
    from deduplicated

)

select * from renamed
