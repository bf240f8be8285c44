{#- Households of the population database, with their head, members and 2025 commune. -#}
with

person as (

    select * from {{ ref('person') }}

),

population as (

    select
        cccd,
        household_id,
        relation_to_head
    from {{ ref('stg_dc_population__persons') }}
    where household_id is not null

),

members as (

    select
        population.household_id,
        person.person_id,
        population.relation_to_head,
        person.residence_commune_code,
        person.residence_province_code,
        person.life_status
    from population
    inner join person on population.cccd = person.cccd

),

final as (

    select
        household_id,
        max(case when relation_to_head = 'Chủ hộ' then person_id end) as head_person_id,
        count(*) as members,
        sum(case when life_status = 'living' then 1 else 0 end) as living_members,
        min(residence_commune_code) as commune_code,
        min(residence_province_code) as province_code
    from members
    group by household_id

)

select * from final
