{#-
  Deterministic identity links: each mention is tied to a population CCCD by the first rule that
  applies (valid CCCD, CMND through DC, BHXH crosswalk, individual MST crosswalk). A link whose
  record contradicts the person (birth year or sex differ) is refused and left to probabilistic
  linkage: a typo'd or borrowed ID must not merge two people.
-#}
with

mentions as (

    select * from {{ ref('int_person_mentions') }}

),

keys as (

    select * from {{ ref('int_person_keys') }}

),

candidates as (

    {% set rules = [
        ('cccd', 'cccd', 1),
        ('cmnd', 'cmnd', 2),
        ('cmnd', 'cccd', 2),
        ('bhxh', 'bhxh', 3),
        ('mst', 'mst', 4),
    ] %}
    {% for key_type, column, priority in rules %}
        select
            mentions.mention_id,
            keys.cccd,
            {%- set rule_name = key_type ~ ('_in_' ~ column ~ '_field' if column != key_type else '') %}
            '{{ rule_name }}' as link_rule,
            {{ priority }} as rule_priority,
            case
                when mentions.birth_date is not null and keys.birth_date is not null
                    and extract(year from mentions.birth_date) <> extract(year from keys.birth_date) then 'birth_year'
                when mentions.sex is not null and keys.sex is not null and mentions.sex <> keys.sex then 'sex'
            end as contradiction
        from mentions
        inner join keys
            on keys.key_type = '{{ key_type }}' and mentions.{{ column }} = keys.key_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ranked as (

    select
        *,
        row_number() over (partition by mention_id order by rule_priority, cccd) as candidate_rank
    from candidates
    where contradiction is null

),

contradicted as (

    select
        mention_id,
        min(contradiction) as contradiction
    from candidates
    where contradiction is not null
    group by mention_id

),

final as (

    select
        mentions.mention_id,
        mentions.source_code,
        mentions.record_key,
        mentions.mention_role,
        ranked.cccd as linked_cccd,
        ranked.link_rule,
        case when ranked.cccd is not null then 1.0 end as match_probability,
        contradicted.contradiction as refused_contradiction
    from mentions
    left join ranked
        on mentions.mention_id = ranked.mention_id and ranked.candidate_rank = 1
    left join contradicted
        on mentions.mention_id = contradicted.mention_id

)

select * from final
