{#-
  The national person register: one golden record per person known to the population database.
  Survivorship per attribute (docs in person.yml): identity attributes by source authority
  (DC first), then the most precise value, then recency; contact data (phone) by recency.
  Every attribute carries the source that supplied it and that source's as-of time.
  Life status: deceased when DC says so or a death is registered in civil status (HT).
-#}
with

links as (

    select * from {{ ref('person_source_link') }}
    where person_id is not null

),

mentions as (

    select * from {{ ref('int_person_mentions') }}

),

authority as (

    select * from {{ ref('source_authority') }}

),

population as (

    select * from {{ ref('stg_dc_population__persons') }}
    where cccd_invalid_reason is null

),

candidates as (

    select
        links.person_id,
        links.cccd,
        mentions.source_code,
        authority.identity_rank,
        mentions.source_updated_at,
        mentions.full_name,
        mentions.name_key,
        mentions.birth_date,
        mentions.birth_date_precision,
        mentions.sex,
        mentions.phone,
        mentions.commune_code,
        mentions.province_code
    from links
    inner join mentions on links.mention_id = mentions.mention_id
    inner join authority on mentions.source_code = authority.source_code

),

{% set survivors = {
    'full_name': 'full_name is null asc, identity_rank asc, source_updated_at desc',
    'birth_date': "birth_date is null asc, coalesce(birth_date_precision, 'day') <> 'day' asc, identity_rank asc, source_updated_at desc",
    'sex': 'sex is null asc, identity_rank asc, source_updated_at desc',
    'phone': 'phone is null asc, source_updated_at desc, identity_rank asc',
    'commune_code': 'commune_code is null asc, identity_rank asc, source_updated_at desc',
} %}

ranked as (

    select
        person_id,
        cccd,
        -- noqa: disable=LT02
        {% for attribute, ordering in survivors.items() -%}
        first_value({{ attribute }}) over (
            partition by person_id order by {{ ordering }} rows between unbounded preceding and unbounded following
        ) as {{ attribute }},
        first_value(case when {{ attribute }} is not null then source_code end) over (
            partition by person_id order by {{ ordering }} rows between unbounded preceding and unbounded following
        ) as {{ attribute }}_source,
        first_value(case when {{ attribute }} is not null then source_updated_at end) over (
            partition by person_id order by {{ ordering }} rows between unbounded preceding and unbounded following
        ) as {{ attribute }}_as_of,
        {% endfor -%}
        -- noqa: enable=LT02
        first_value(birth_date_precision) over (
            partition by person_id order by {{ survivors['birth_date'] }}
            rows between unbounded preceding and unbounded following
        ) as birth_date_precision,
        first_value(province_code) over (
            partition by person_id order by {{ survivors['commune_code'] }}
            rows between unbounded preceding and unbounded following
        ) as province_code,
        count(*) over (partition by person_id) as linked_records,
        row_number() over (partition by person_id order by identity_rank asc) as row_in_person
    from candidates

),

deaths as (

    select
        links.person_id,
        min(events.event_date) as registered_death_date
    from {{ ref('stg_ht_civil_status__events') }} as events
    inner join links
        on links.source_code = 'HT' and events.record_key = links.record_key
    where events.event_type = 'death'
    group by links.person_id

),

golden as (

    select
        ranked.person_id,
        ranked.cccd,
        population.cmnd,
        ranked.full_name,
        ranked.full_name_source,
        ranked.full_name_as_of,
        {{ name_match_key('ranked.full_name') }} as name_key,
        ranked.birth_date,
        ranked.birth_date_precision,
        ranked.birth_date_source,
        ranked.birth_date_as_of,
        ranked.sex,
        ranked.sex_source,
        ranked.sex_as_of,
        ranked.phone,
        ranked.phone_source,
        ranked.phone_as_of,
        ranked.commune_code as residence_commune_code,
        ranked.province_code as residence_province_code,
        ranked.commune_code_source as residence_source,
        ranked.commune_code_as_of as residence_as_of,
        population.household_id,
        population.father_cccd,
        population.mother_cccd,
        case when population.is_deceased or deaths.person_id is not null then 'deceased' else 'living' end
            as life_status,
        coalesce(population.death_date, deaths.registered_death_date) as death_date,
        case
            when population.is_deceased then 'DC'
            when deaths.person_id is not null then 'HT'
            else 'DC'
        end as life_status_source,
        population.cccd_invalid_reason,
        ranked.linked_records,
        'DC' as identity_source,
        population.source_updated_at as identity_as_of
    from ranked
    inner join population on ranked.cccd = population.cccd
    left join deaths on ranked.person_id = deaths.person_id
    where ranked.row_in_person = 1

)

select * from golden
