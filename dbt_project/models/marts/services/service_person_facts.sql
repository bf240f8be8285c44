{{ config(materialized='ephemeral') }}
{#-
  One row per person of the register with the facts the procedure groups' eligibility rules and
  data items are written against (service_readiness). Ephemeral: an input, not a product.
  `services_as_of` (var, default today) fixes the date ages are computed at, for reproducible tests.
-#}
{%- set as_of = var('services_as_of', none) -%}
{%- set as_of_date = "cast('" ~ as_of ~ "' as date)" if as_of else 'current_date' -%}
with

persons as (

    select * from {{ ref('person') }}

),

links as (

    select * from {{ ref('person_source_link') }}
    where person_id is not null and link_status = 'linked'

),

civil_events as (

    select
        links.person_id,
        max(case when events.event_type = 'birth' then 1 else 0 end) as has_birth_record,
        max(case when events.event_type = 'death' then 1 else 0 end) as has_death_record,
        max(case when events.event_type = 'marriage' then 1 else 0 end) as has_marriage_record
    from {{ ref('stg_ht_civil_status__events') }} as events
    inner join links on links.source_code = 'HT' and events.record_key = links.record_key
    group by links.person_id

),

per_source as (

    select
        person_id,
        {% for source in ['CT', 'HT', 'YB', 'XH', 'AS', 'LX', 'YT', 'XE', 'TH', 'DN', 'LL', 'LD', 'GD', 'DD'] %}
            max(case when source_code = '{{ source }}' then 1 else 0 end) as has_{{ source | lower }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from links
    group by person_id

),

licences as (

    select
        holder_person_id as person_id,
        count(*) as licences
    from {{ ref('driving_licence') }}
    where holder_person_id is not null and coalesce(status, 'active') <> 'revoked'
    group by holder_person_id

),

vehicles as (

    select
        owner_person_id as person_id,
        count(*) as vehicles
    from {{ ref('vehicle') }}
    where owner_person_id is not null
    group by owner_person_id

),

represented as (

    select
        representative_person_id as person_id,
        count(*) as enterprises
    from {{ ref('enterprise') }}
    where representative_person_id is not null
    group by representative_person_id

),

land_users as (

    select
        owner_person_id as person_id,
        count(*) as parcels
    from {{ ref('land_parcel') }}
    where owner_person_id is not null
    group by owner_person_id

),

{# An heir: a living member of a household in which another member died holding land. -#}
deceased_land_users as (

    select
        persons.household_id,
        persons.person_id,
        max(coalesce(civil_events.has_death_record, 0)) as death_registered
    from persons
    inner join land_users on persons.person_id = land_users.person_id
    left join civil_events on persons.person_id = civil_events.person_id
    where persons.life_status = 'deceased' and persons.household_id is not null
    group by persons.household_id, persons.person_id

),

heirs as (

    select
        persons.person_id,
        max(deceased_land_users.death_registered) as estate_death_registered
    from persons
    inner join deceased_land_users
        on persons.household_id = deceased_land_users.household_id
            and persons.person_id <> deceased_land_users.person_id
    group by persons.person_id

),

final as (

    select
        persons.person_id,
        persons.cccd,
        persons.sex,
        persons.birth_date,
        persons.life_status,
        persons.cccd_invalid_reason,
        persons.residence_commune_code,
        coalesce(persons.residence_province_code, 'unknown') as province_code,
        floor({{ dbt.datediff('persons.birth_date', as_of_date, 'day') }} / 365.25) as age_years,
        case when persons.father_cccd is not null or persons.mother_cccd is not null then 1 else 0 end
            as has_parents,
        coalesce(civil_events.has_birth_record, 0) as has_birth_record,
        coalesce(civil_events.has_death_record, 0) as has_death_record,
        coalesce(civil_events.has_marriage_record, 0) as has_marriage_record,
        {% for source in ['CT', 'HT', 'YB', 'XH', 'AS', 'LX', 'YT', 'XE', 'TH', 'DN', 'LL', 'LD', 'GD', 'DD'] %}
            coalesce(per_source.has_{{ source | lower }}, 0) as has_{{ source | lower }},
        {% endfor %}
        coalesce(licences.licences, 0) as licences,
        coalesce(vehicles.vehicles, 0) as vehicles,
        coalesce(represented.enterprises, 0) as enterprises,
        coalesce(land_users.parcels, 0) as land_parcels,
        case when heirs.person_id is not null then 1 else 0 end as is_land_heir,
        coalesce(heirs.estate_death_registered, 0) as estate_death_registered
    from persons
    left join civil_events on persons.person_id = civil_events.person_id
    left join per_source on persons.person_id = per_source.person_id
    left join licences on persons.person_id = licences.person_id
    left join vehicles on persons.person_id = vehicles.person_id
    left join represented on persons.person_id = represented.person_id
    left join land_users on persons.person_id = land_users.person_id
    left join heirs on persons.person_id = heirs.person_id

)

select * from final
