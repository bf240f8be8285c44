{#- Headline figures per province of residence: the first view operators and analysts open. -#}
with

persons as (

    select * from {{ ref('person') }}

),

by_province as (

    select
        coalesce(residence_province_code, 'unknown') as province_code,
        count(*) as persons,
        sum(case when life_status = 'living' then 1 else 0 end) as living,
        sum(case when life_status = 'deceased' then 1 else 0 end) as deceased,
        sum(case when phone is not null then 1 else 0 end) as with_phone,
        sum(case when cccd_invalid_reason is not null then 1 else 0 end) as with_invalid_cccd
    from persons
    group by 1

)

select * from by_province
