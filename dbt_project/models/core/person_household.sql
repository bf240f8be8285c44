{#- Membership of persons in households (population database). -#}
select
    person.person_id,
    population.household_id,
    population.relation_to_head
from {{ ref('stg_dc_population__persons') }} as population
inner join {{ ref('person') }} as person on population.cccd = person.cccd
where population.household_id is not null
