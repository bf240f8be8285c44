{#-
  Exchange product: living population by 2025 ward x age band x sex. Personal-data derived, so a
  person who withdrew consent is left out. k-anonymity over (province, ward, age band, sex): a cell
  under k persons is generalised into its province's residual ward 'other'; a residual still under
  k is suppressed. No identifiers leave the warehouse.
-#}
{%- set k = var('exchange_k', 10) -%}
with

persons as (

    select * from {{ ref('person') }}
    where life_status = 'living'

),

withdrawn as (

    select distinct person_id from {{ source('consent', 'consent_register') }}
    where status = 'withdrawn'

),

eligible as (

    select
        coalesce(persons.residence_province_code, 'unknown') as province_code,
        coalesce(persons.residence_commune_code, 'unknown') as commune_code,
        floor({{ dbt.datediff('persons.birth_date', 'current_date', 'day') }} / 365.25) as age_years,
        coalesce(persons.sex, 'unknown') as sex
    from persons
    left join withdrawn on persons.person_id = withdrawn.person_id
    where withdrawn.person_id is null

),

banded as (

    select
        province_code,
        commune_code,
        case
            when age_years is null then 'unknown'
            when age_years < 6 then '00-05'
            when age_years < 18 then '06-17'
            when age_years < 35 then '18-34'
            when age_years < 60 then '35-59'
            else '60+'
        end as age_band,
        sex
    from eligible

),

cells as (

    select
        province_code,
        commune_code,
        age_band,
        sex,
        count(*) as persons
    from banded
    group by 1, 2, 3, 4

),

residuals as (

    select
        province_code,
        'other' as commune_code,
        age_band,
        sex,
        sum(persons) as persons
    from cells
    where persons < {{ k }}
    group by 1, 2, 3, 4

),

final as (

    select
        province_code,
        commune_code,
        age_band,
        sex,
        persons,
        false as generalised
    from cells
    where persons >= {{ k }}

    union all

    select
        province_code,
        commune_code,
        age_band,
        sex,
        persons,
        true as generalised
    from residuals
    where persons >= {{ k }}

)

select * from final
