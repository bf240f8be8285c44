{#- Registered vehicles (XE) with their owner: a person (through the identity links) or an enterprise (MST). -#}
with

vehicles as (

    select * from {{ ref('stg_xe_vehicle__vehicles') }}

),

person_owners as (

    select
        record_key,
        person_id
    from {{ ref('person_source_link') }}
    where source_code = 'XE'

),

enterprises as (

    select
        mst,
        enterprise_id
    from {{ ref('enterprise') }}

)

select
    {{ dbt.hash("'vehicle:' || vehicles.record_key") }} as vehicle_id,
    vehicles.vin,
    vehicles.plate,
    vehicles.plate_is_valid,
    vehicles.vehicle_type,
    vehicles.brand,
    vehicles.manufacture_year,
    vehicles.owner_type,
    person_owners.person_id as owner_person_id,
    enterprises.enterprise_id as owner_enterprise_id,
    vehicles.commune_code,
    vehicles.province_code,
    vehicles.registration_date,
    vehicles.status,
    vehicles.source_updated_at as as_of
from vehicles
left join person_owners on vehicles.owner_type = 'individual' and vehicles.record_key = person_owners.record_key
left join enterprises on vehicles.owner_type = 'organisation' and vehicles.mst = enterprises.mst
