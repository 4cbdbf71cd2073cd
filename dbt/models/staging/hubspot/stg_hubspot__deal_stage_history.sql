with source_rows as (

    select * from {{ source('hubspot', 'deals') }}

),

latest_version as (

    {{ deduplicate('source_rows', 'id', 'updatedAt desc, _loaded_at desc, _source_file desc, _source_row desc') }}

),

entries as (

    select
        latest_version.id as lead_id,
        properties.pipeline as pipeline_id,
        {{ hubspot_unnest('propertiesWithHistory.dealstage') }} as entry,
        latest_version._loaded_at
    from latest_version

),

pipeline_stages as (

    {{ deduplicate(ref('stg_hubspot__deal_pipeline_stages'), 'hubspot_deal_stage',
        'is_archived, display_order, pipeline_id') }}

),

mapped as (

    select
        entries.lead_id,
        entries.pipeline_id,
        entries.entry.value as hubspot_deal_stage,
        coalesce(pipeline_stages.stage, {{ hubspot_deal_stage('entries.entry.value') }}) as stage,
        entries.entry.timestamp as changed_at_utc,
        entries.entry.sourcetype as change_source_type,
        entries.entry.sourceid as change_source_id,
        entries.entry.updatedbyuserid as changed_by_user_id,
        entries._loaded_at
    from entries
    left join pipeline_stages on pipeline_stages.hubspot_deal_stage = entries.entry.value
    where entries.entry.value is not null and entries.entry.timestamp is not null

),

deduplicated as (

    {{ deduplicate('mapped', 'lead_id, hubspot_deal_stage, changed_at_utc', 'change_source_type, change_source_id') }}

),

final as (

    select
        lead_id,
        pipeline_id,
        hubspot_deal_stage,
        stage,
        changed_at_utc,
        change_source_type,
        change_source_id,
        changed_by_user_id,
        _loaded_at
    from deduplicated

)

select * from final
