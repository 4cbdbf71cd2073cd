{#-
    Conformed crm channel: every tool's rows of lead stage history in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    HubSpot: every dealstage value of the deal's property history (re-entries included), for the
    deals that are conformed leads; two stage ids of one project stage set at the same instant
    count once.
-#}

with generic_csv as (

    select
        lead_id,
        stage,
        changed_at_utc,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as native_stage
    from {{ ref('stg_crm__lead_stage_history') }}

),

hubspot_changes as (

    select
        history.lead_id,
        history.stage,
        history.changed_at_utc,
        history._loaded_at,
        history.hubspot_deal_stage,
        row_number() over (
            partition by history.lead_id, history.stage, history.changed_at_utc
            order by history.hubspot_deal_stage
        ) as change_rank
    from {{ ref('stg_hubspot__deal_stage_history') }} as history
    inner join {{ ref('stg_hubspot__deals') }} as deals
        on deals.lead_id = history.lead_id
    where deals.crm_contact_id is not null and not deals.is_archived

),

hubspot as (

    select
        lead_id,
        stage,
        changed_at_utc,
        _loaded_at,
        'hubspot' as source_system,
        hubspot_deal_stage as native_stage
    from hubspot_changes
    where change_rank = 1

)

select * from generic_csv
union all
select * from hubspot
