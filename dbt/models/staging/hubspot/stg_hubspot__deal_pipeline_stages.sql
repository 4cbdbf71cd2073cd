with source_rows as (

    select * from {{ source('hubspot', 'deal_pipelines') }}

),

latest_pipeline as (

    {{ deduplicate('source_rows', 'id',
        'updatedAt desc nulls last, _loaded_at desc, _source_file desc, _source_row desc') }}

),

stages as (

    select
        id as pipeline_id,
        label as pipeline_label,
        coalesce(archived, false) as is_pipeline_archived,
        {{ hubspot_unnest('stages') }} as stage_record,
        _loaded_at
    from latest_pipeline

),

renamed as (

    select
        stages.pipeline_id,
        stages.pipeline_label,
        stage_record.id as hubspot_deal_stage,
        stage_record.label as stage_label,
        stage_record.displayorder as display_order,
        {{ hubspot_boolean('stage_record.metadata.isClosed') }} as is_closed,
        {{ hubspot_number('stage_record.metadata.probability', type_double()) }} as win_probability,
        {{ hubspot_deal_stage('stage_record.id', hubspot_boolean('stage_record.metadata.isClosed'),
            hubspot_number('stage_record.metadata.probability', type_double())) }}
            as stage,
        coalesce(stage_record.archived, false) or stages.is_pipeline_archived as is_archived,
        stages._loaded_at
    from stages

)

select * from renamed
