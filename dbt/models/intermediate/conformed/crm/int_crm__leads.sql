{#-
    Conformed crm channel: every tool's rows of leads in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    HubSpot: a lead is a deal with its associated contact (the lowest contact id when the deal has
    several); deals without a contact and archived deals are left out.
-#}

with generic_csv as (

    select
        lead_id,
        crm_contact_id,
        created_at_utc,
        created_date_local,
        source_channel,
        utm_campaign,
        stage,
        amount_eur,
        closed_at_utc,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as native_stage
    from {{ ref('stg_crm__leads') }}

),

hubspot as (

    select
        lead_id,
        crm_contact_id,
        created_at_utc,
        created_date_local,
        source_channel,
        utm_campaign,
        stage,
        amount_eur,
        closed_at_utc,
        _loaded_at,
        'hubspot' as source_system,
        hubspot_deal_stage as native_stage
    from {{ ref('stg_hubspot__deals') }}
    where crm_contact_id is not null and not is_archived

)

select * from generic_csv
union all
select * from hubspot
