{#-
  Where each person lived, and when: residence registrations (CT) as intervals in 2025 communes.
  A registration is valid from its date until its expiry or the person's next registration of
  the same type. Answers "where did this person live on date X" (see person.yml for the query).
  Run-to-run changes of the golden record are kept by the dbt snapshot person_snapshot.
-#}
with

registrations as (

    select * from {{ ref('stg_ct_residence__registrations') }}
    where registration_date is not null

),

links as (

    select
        record_key,
        person_id
    from {{ ref('person_source_link') }}
    where source_code = 'CT' and person_id is not null

),

ordered as (

    select
        links.person_id,
        registrations.residence_type,
        registrations.commune_code,
        registrations.province_code,
        registrations.household_id,
        registrations.registration_date as valid_from,
        registrations.expiry_date,
        lead(registrations.registration_date) over (
            partition by links.person_id, registrations.residence_type order by registrations.registration_date
        ) as next_registration_date,
        registrations.status,
        registrations.record_key
    from registrations
    inner join links on registrations.record_key = links.record_key

)

select
    person_id,
    residence_type,
    commune_code,
    province_code,
    household_id,
    valid_from,
    case
        when expiry_date is not null and (next_registration_date is null or expiry_date < next_registration_date)
            then expiry_date
        else next_registration_date
    end as valid_to,
    status,
    record_key as source_record_key
from ordered
