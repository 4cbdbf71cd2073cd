{#-
    One persona per customer of dim_customer (grain: customer_id), from the ordered rules of
    the seed persona_rules: a rule matches when every condition it sets holds (an empty cell
    matches anything); the matching rule with the lowest priority wins; a customer no rule
    matches gets var('persona_fallback'). Attributes the rules read:
      is_business           the customer has a company (CRM company of the contact or company
                            typed at an event registration), a company industry or a job title
      company_industry      CRM company industry (HubSpot industry mapped to the warehouse taxonomy)
      company_employee_count  CRM company size (employees); min inclusive, max exclusive
      country_code, language  dim_customer (CRM contact, else the latest order's billing country)
      acquisition_channel   first-touch channel (int_kpi__customer_acquisition), 'unknown' if none
-#}

with customers as (

    select
        customers.customer_id,
        customers.is_identified,
        customers.company_name is not null
        or customers.company_industry is not null
        or customers.job_title is not null as is_business,
        customers.company_industry,
        customers.company_employee_count,
        customers.country_code,
        customers.language,
        coalesce(acquisition.acquisition_channel, 'unknown') as acquisition_channel
    from {{ ref('dim_customer') }} as customers
    left join {{ ref('int_kpi__customer_acquisition') }} as acquisition
        on acquisition.customer_id = customers.customer_id

),

rules as (

    select * from {{ ref('persona_rules') }}

),

matches as (

    select
        customers.customer_id,
        rules.priority,
        rules.persona,
        rules.persona_group,
        row_number() over (partition by customers.customer_id order by rules.priority) as match_rank
    from customers
    inner join rules
        on (rules.is_identified is null or rules.is_identified = customers.is_identified)
        and (rules.is_business is null or rules.is_business = customers.is_business)
        and (rules.company_industry is null or rules.company_industry = customers.company_industry)
        and (rules.min_company_employees is null or rules.min_company_employees <= customers.company_employee_count)
        and (rules.max_company_employees is null or rules.max_company_employees > customers.company_employee_count)
        and (rules.country_code is null or rules.country_code = customers.country_code)
        and (rules.language is null or rules.language = customers.language)
        and (rules.acquisition_channel is null or rules.acquisition_channel = customers.acquisition_channel)

)

select
    customers.customer_id,
    coalesce(matches.persona, '{{ var("persona_fallback") }}') as persona,
    coalesce(matches.persona_group, '{{ var("persona_fallback_group") }}') as persona_group,
    cast(matches.priority as {{ dbt.type_bigint() }}) as persona_rule_priority,
    customers.is_identified,
    customers.is_business,
    customers.company_industry,
    customers.company_employee_count,
    customers.country_code,
    customers.language,
    customers.acquisition_channel
from customers
left join matches
    on matches.customer_id = customers.customer_id
    and matches.match_rank = 1
