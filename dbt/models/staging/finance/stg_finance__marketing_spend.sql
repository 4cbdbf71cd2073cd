with source_rows as (

    select * from {{ source('finance', 'marketing_spend') }}

),

deduplicated as (

    {{ deduplicate(
        'source_rows',
        'spend_date, channel, platform, utm_campaign, cost_type',
        '_loaded_at desc, _source_file desc'
    ) }}

),

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

renamed as (

    select
        deduplicated.spend_date,
        lower(trim(deduplicated.channel)) as channel,
        lower(trim(deduplicated.platform)) as platform,
        nullif(lower(trim(deduplicated.utm_campaign)), '') as utm_campaign,
        lower(trim(deduplicated.cost_type)) as cost_type,
        cast(deduplicated.amount as {{ dbt.type_numeric() }}) as amount,
        upper(deduplicated.currency) as currency,
        {{ to_reporting_currency('deduplicated.amount', 'fx_rates') }} as amount_eur,
        deduplicated._loaded_at
    from deduplicated
    left join fx_rates
        on fx_rates.rate_date = deduplicated.spend_date
        and fx_rates.currency = upper(deduplicated.currency)

)

select * from renamed
