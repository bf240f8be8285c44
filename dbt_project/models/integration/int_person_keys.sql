{#-
  The identifier registry of the population database (DC, the authority for identity): the CCCD
  of every person with the attributes used to guard links (birth date, sex) and the crosswalks
  that lead to it from other identifiers: old CMND (DC), social-insurance code (XH) and
  individual tax code (TH).
-#}
with

population as (

    select
        cccd,
        cmnd,
        birth_date,
        birth_date_precision,
        sex
    from {{ ref('stg_dc_population__persons') }}
    where cccd is not null and cccd_invalid_reason is null

),

cmnd_crosswalk as (

    select
        cmnd as key_value,
        cccd
    from population
    where cmnd is not null

),

bhxh_crosswalk as (

    select distinct
        insured.bhxh as key_value,
        insured.cccd
    from {{ ref('stg_xh_social_insurance__participants') }} as insured
    inner join population on insured.cccd = population.cccd
    where insured.bhxh is not null and insured.bhxh_invalid_reason is null

),

mst_crosswalk as (

    select distinct
        taxpayer.mst as key_value,
        taxpayer.cccd
    from {{ ref('stg_th_tax__taxpayers') }} as taxpayer
    inner join population on taxpayer.cccd = population.cccd
    where taxpayer.taxpayer_type = 'individual' and taxpayer.mst is not null and taxpayer.mst_invalid_reason is null

),

keys as (

    select
        'cccd' as key_type,
        cccd as key_value,
        cccd
    from population
    union all
    select
        'cmnd' as key_type,
        key_value,
        cccd
    from cmnd_crosswalk
    union all
    select
        'bhxh' as key_type,
        key_value,
        cccd
    from bhxh_crosswalk
    union all
    select
        'mst' as key_type,
        key_value,
        cccd
    from mst_crosswalk

),

{# A key that leads to two different persons proves nothing: drop it. #}
unambiguous as (

    select
        key_type,
        key_value,
        min(cccd) as cccd
    from keys
    group by key_type, key_value
    having count(distinct cccd) = 1

)

select
    unambiguous.key_type,
    unambiguous.key_value,
    unambiguous.cccd,
    population.birth_date,
    population.birth_date_precision,
    population.sex
from unambiguous
inner join population on unambiguous.cccd = population.cccd
