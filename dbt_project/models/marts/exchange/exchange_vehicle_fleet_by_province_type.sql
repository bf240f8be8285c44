{#-
  Exchange product: registered vehicles by province x vehicle type x owner type. Individual owners
  are personal data: a person who withdrew consent is left out with their vehicles. k-anonymity
  counts owners, not vehicles: a cell with under k distinct owners is generalised to vehicle type
  'other' in its province and owner type; a residual still under k owners is suppressed.
-#}
{%- set k = var('exchange_k', 10) -%}
with

vehicles as (

    select * from {{ ref('vehicle') }}
    where coalesce(status, 'active') = 'active'

),

withdrawn as (

    select distinct person_id from {{ source('consent', 'consent_register') }}
    where status = 'withdrawn'

),

kept as (

    select
        coalesce(vehicles.province_code, 'unknown') as province_code,
        coalesce(vehicles.vehicle_type, 'unknown') as vehicle_type,
        coalesce(vehicles.owner_type, 'unknown') as owner_type,
        coalesce(vehicles.owner_person_id, vehicles.owner_enterprise_id, vehicles.vehicle_id) as owner_key
    from vehicles
    left join withdrawn on vehicles.owner_person_id = withdrawn.person_id
    where withdrawn.person_id is null

),

cells as (

    select
        province_code,
        vehicle_type,
        owner_type,
        count(*) as vehicles,
        count(distinct owner_key) as owners
    from kept
    group by 1, 2, 3

),

residual_owners as (

    select
        kept.province_code,
        kept.owner_type,
        count(*) as vehicles,
        count(distinct kept.owner_key) as owners
    from kept
    inner join cells
        on kept.province_code = cells.province_code
            and kept.vehicle_type = cells.vehicle_type
            and kept.owner_type = cells.owner_type
    where cells.owners < {{ k }}
    group by 1, 2

),

final as (

    select
        province_code,
        vehicle_type,
        owner_type,
        vehicles,
        owners,
        false as generalised
    from cells
    where owners >= {{ k }}

    union all

    select
        province_code,
        'other' as vehicle_type,
        owner_type,
        vehicles,
        owners,
        true as generalised
    from residual_owners
    where owners >= {{ k }}

)

select * from final
