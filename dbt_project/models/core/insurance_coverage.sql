{#- Social-insurance participation (XH) and health-insurance cards (YB), per person. -#}
with

social as (

    select
        links.person_id,
        'social_insurance' as coverage_type,
        participants.bhxh as coverage_number,
        participants.join_date as valid_from,
        cast(null as date) as valid_to,
        participants.status,
        participants.source_updated_at as as_of
    from {{ ref('stg_xh_social_insurance__participants') }} as participants
    left join {{ ref('person_source_link') }} as links
        on links.source_code = 'XH' and participants.record_key = links.record_key

),

health as (

    select
        links.person_id,
        'health_insurance' as coverage_type,
        cards.health_card as coverage_number,
        cards.valid_from,
        cards.valid_to,
        cards.status,
        cards.source_updated_at as as_of
    from {{ ref('stg_yb_health_insurance__cards') }} as cards
    left join {{ ref('person_source_link') }} as links
        on links.source_code = 'YB' and cards.record_key = links.record_key

)

select * from social
union all
select * from health
