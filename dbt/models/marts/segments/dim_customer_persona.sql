{#-
    Each customer's persona and segment beside the figures the persona and segment marts sum
    (grain: customer_id, every customer of dim_customer):
      persona, persona_group      dim_customer_persona_match (seed persona_rules)
      rfm_segment                 segment at the latest month end (fct_customer_rfm_monthly);
                                  var('rfm_no_order_segment') for a customer without an order
      first_order_month, acquisition_channel   int_kpi__customer_acquisition (first touch)
      is_new_customer, acquisition_month       int_kpi__customer_acquisition: no relationship before the window
                                              (a returning legacy customer carries no acquisition cost)
      acquisition_cost_eur        CAC of the customer's first-order month and acquisition channel
                                  (mart_cac_monthly.cac_eur: the channel's spend that month / its new
                                  customers), so a group's acquisition cost = sum over its customers and
                                  every channel-month's spend is shared by the customers it acquired;
                                  null for a customer without a first order in the window
      net_revenue_eur, historical_clv_eur      mart_customer_lifetime_value (null without an order)
-#}

with personas as (

    select * from {{ ref('dim_customer_persona_match') }}

),

latest_rfm as (

    select
        customer_id,
        rfm_segment
    from (
        select
            customer_id,
            rfm_segment,
            row_number() over (partition by customer_id order by month_start_date desc) as month_rank
        from {{ ref('fct_customer_rfm_monthly') }}
    ) as ranked
    where month_rank = 1

),

acquisition as (

    select * from {{ ref('int_kpi__customer_acquisition') }}

),

channel_cac as (

    select
        period_start_date,
        acquisition_channel,
        cac_eur
    from {{ ref('mart_cac_monthly') }}
    where acquisition_channel <> 'all'

),

lifetime_value as (

    select * from {{ ref('mart_customer_lifetime_value') }}

)

select
    personas.customer_id,
    personas.persona,
    personas.persona_group,
    coalesce(latest_rfm.rfm_segment, '{{ var("rfm_no_order_segment") }}') as rfm_segment,
    acquisition.first_order_month,
    coalesce(acquisition.is_new_customer, false) as is_new_customer,
    acquisition.acquisition_month,
    personas.acquisition_channel,
    channel_cac.cac_eur as acquisition_cost_eur,
    cast(lifetime_value.realized_net_revenue_eur as {{ type_money() }}) as net_revenue_eur,
    lifetime_value.historical_clv_eur
from personas
left join latest_rfm on latest_rfm.customer_id = personas.customer_id
left join acquisition on acquisition.customer_id = personas.customer_id
left join channel_cac
    on channel_cac.period_start_date = acquisition.acquisition_month
    and channel_cac.acquisition_channel = acquisition.acquisition_channel
left join lifetime_value on lifetime_value.customer_id = personas.customer_id
