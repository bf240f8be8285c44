{#-
  The national person register: one golden record per person. The population database (DC)
  is the authority for identity attributes; every attribute carries its source and as-of date.
  Other sources join through the identity graph (integration layer) as they are added.
-#}
with

population as (

    select * from {{ ref('stg_dc_population__persons') }}

),

golden as (

    select
        {{ dbt.hash("'person:' || cccd") }} as person_id,
        cccd,
        cmnd,
        full_name,
        name_key,
        birth_date,
        sex,
        residence_commune_code,
        residence_province_code,
        phone,
        household_id,
        case when is_deceased then 'deceased' else 'living' end as life_status,
        death_date,
        cccd_invalid_reason,
        'DC' as identity_source,
        source_updated_at as identity_as_of,
        'DC' as residence_source,
        source_updated_at as residence_as_of
    from population

)

select * from golden
