{#- Land parcels (DD) with their land user resolved to a person; co-owners kept as recorded. -#}
with

parcels as (

    select * from {{ ref('stg_dd_land__parcels') }}

),

owners as (

    select
        record_key,
        person_id,
        link_status
    from {{ ref('person_source_link') }}
    where source_code = 'DD'

)

select
    {{ dbt.hash("'parcel:' || parcels.record_key") }} as land_parcel_id,
    parcels.record_key as parcel_key,
    parcels.commune_code,
    parcels.province_code,
    parcels.map_sheet_no,
    parcels.parcel_no,
    parcels.area_m2,
    parcels.land_use_code,
    parcels.certificate_no,
    parcels.certificate_date,
    owners.person_id as owner_person_id,
    owners.link_status as owner_link_status,
    parcels.has_co_owner,
    parcels.co_owner_name,
    parcels.admin_needs_review,
    parcels.source_updated_at as as_of
from parcels
left join owners on parcels.record_key = owners.record_key
