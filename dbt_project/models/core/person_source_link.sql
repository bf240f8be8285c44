{#-
  Every source record that mentions a person, tied to the person it refers to: the
  deterministic link when a rule applied, otherwise the master person index's decision.
  Nothing is dropped: unlinked and under-review mentions stay here with their status.
-#}
with

mentions as (

    select * from {{ ref('int_person_mentions') }}

),

deterministic as (

    select * from {{ ref('int_person_links__deterministic') }}

),

probabilistic as (

    select * from {{ source('integration', 'mpi_person_links') }}

),

resolved as (

    select
        mentions.mention_id,
        mentions.source_code,
        mentions.record_key,
        mentions.mention_role,
        coalesce(
            deterministic.linked_cccd,
            case when probabilistic.decision = 'linked' then probabilistic.linked_cccd end
        ) as cccd,
        case
            when deterministic.linked_cccd is not null then deterministic.link_rule
            when probabilistic.decision = 'linked' then 'probabilistic'
        end as link_rule,
        coalesce(deterministic.match_probability, probabilistic.match_probability) as match_probability,
        case
            when deterministic.linked_cccd is not null then 'linked'
            else coalesce(probabilistic.decision, 'unlinked')
        end as link_status,
        deterministic.refused_contradiction,
        mentions.source_updated_at
    from mentions
    inner join deterministic on mentions.mention_id = deterministic.mention_id
    left join probabilistic on mentions.mention_id = probabilistic.mention_id

),

final as (

    select
        case when cccd is not null then {{ dbt.hash("'person:' || cccd") }} end as person_id,
        *
    from resolved

)

select * from final
