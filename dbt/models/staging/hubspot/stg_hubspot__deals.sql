with source_rows as (

    select * from {{ source('hubspot', 'deals') }}

),

latest_version as (

    {{ deduplicate('source_rows', 'id', 'updatedAt desc, _loaded_at desc, _source_file desc, _source_row desc') }}

),

pipeline_stages as (

    {{ deduplicate(ref('stg_hubspot__deal_pipeline_stages'), 'hubspot_deal_stage',
        'is_archived, display_order, pipeline_id') }}

),

lead_contacts as (

    select
        lead_id,
        max(case when is_lead_contact then crm_contact_id end) as crm_contact_id,
        count(*) as contact_count
    from {{ ref('stg_hubspot__deal_contacts') }}
    group by lead_id

),

closing_changes as (

    -- the latest entry into a closed stage (a reopened and closed-again deal counts the last close)
    select
        lead_id,
        max(changed_at_utc) as closed_at_utc
    from {{ ref('stg_hubspot__deal_stage_history') }}
    where stage in ('won', 'lost')
    group by lead_id

),

typed as (

    select
        latest_version.id,
        nullif(trim(properties.dealname), '') as deal_name,
        nullif(trim(properties.pipeline), '') as pipeline_id,
        nullif(trim(properties.dealstage), '') as hubspot_deal_stage,
        {{ hubspot_boolean('properties.hs_is_closed') }} as is_closed,
        {{ hubspot_boolean('properties.hs_is_closed_won') }} as is_closed_won,
        {{ hubspot_number('properties.amount') }} as deal_amount,
        nullif(upper(trim(properties.deal_currency_code)), '') as deal_currency_code,
        {{ hubspot_number('properties.amount_in_home_currency') }} as amount_in_home_currency,
        {{ hubspot_timestamp('properties.closedate') }} as close_date_utc,
        coalesce({{ hubspot_timestamp('properties.createdate') }}, latest_version.createdat) as created_at_utc,
        coalesce({{ hubspot_timestamp('properties.hs_lastmodifieddate') }}, latest_version.updatedat) as updated_at_utc,
        nullif(trim(properties.closed_lost_reason), '') as closed_lost_reason,
        nullif(upper(trim(properties.hs_analytics_source)), '') as original_source,
        nullif(trim(properties.hs_analytics_source_data_1), '') as original_source_drill_down_1,
        nullif(lower(trim(properties.utm_campaign)), '') as utm_campaign,
        {{ hubspot_association_id('associations.companies.results', 'deal_to_company') }} as crm_company_id,
        coalesce(latest_version.archived, false) as is_archived,
        latest_version._loaded_at
    from latest_version

),

renamed as (

    select
        typed.id as lead_id,
        typed.deal_name,
        lead_contacts.crm_contact_id,
        coalesce(lead_contacts.contact_count, 0) as contact_count,
        typed.crm_company_id,
        typed.pipeline_id,
        typed.hubspot_deal_stage,
        coalesce(
            pipeline_stages.stage,
            {{ hubspot_deal_stage('typed.hubspot_deal_stage', 'typed.is_closed',
                                  'case when typed.is_closed_won then 1.0 when typed.is_closed then 0.0 end') }}
        ) as stage,
        typed.created_at_utc,
        cast({{ utc_to_local('typed.created_at_utc') }} as date) as created_date_local,
        {{ hubspot_source_channel('typed.original_source', 'typed.original_source_drill_down_1') }} as source_channel,
        typed.original_source,
        typed.original_source_drill_down_1,
        typed.utm_campaign,
        typed.deal_amount,
        typed.deal_currency_code,
        typed.amount_in_home_currency,
        case
            when coalesce(typed.deal_currency_code, '{{ var("hubspot_home_currency", "EUR") }}')
                = '{{ var("hubspot_home_currency", "EUR") }}'
                then coalesce(typed.deal_amount, typed.amount_in_home_currency)
            else typed.amount_in_home_currency
        end as amount_eur,
        typed.close_date_utc,
        typed.is_closed,
        typed.is_closed_won,
        typed.closed_lost_reason,
        typed.updated_at_utc,
        typed.is_archived,
        typed._loaded_at
    from typed
    left join pipeline_stages on pipeline_stages.hubspot_deal_stage = typed.hubspot_deal_stage
    left join lead_contacts on lead_contacts.lead_id = typed.id

),

final as (

    select
        renamed.*,
        case
            when renamed.stage in ('won', 'lost') then coalesce(closing_changes.closed_at_utc, renamed.close_date_utc)
        end as closed_at_utc
    from renamed
    left join closing_changes on closing_changes.lead_id = renamed.lead_id

)

select * from final
