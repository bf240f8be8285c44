{#-
  Where linked sources disagree about a person: one row per person and attribute with the value
  each source holds, the value the register chose and the survivorship rule. Source owners read
  it as their list of records to fix.
-#}
with

links as (

    select * from {{ ref('person_source_link') }}
    where person_id is not null

),

mentions as (

    select * from {{ ref('int_person_mentions') }}

),

person as (

    select * from {{ ref('person') }}

),

values_held as (

    {% set attributes = {
        'birth_date': "cast(mentions.birth_date as varchar)",
        'sex': "mentions.sex",
        'name': "mentions.name_key",
    } %}
    {% for attribute, expression in attributes.items() %}
        select
            links.person_id,
            '{{ attribute }}' as attribute,
            mentions.source_code,
            {{ expression }} as held_value
        from links
        inner join mentions on links.mention_id = mentions.mention_id
        where {{ expression }} is not null
            {% if attribute == 'birth_date' %}and coalesce(mentions.birth_date_precision, 'day') = 'day'{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

disputed as (

    select
        person_id,
        attribute
    from values_held
    group by person_id, attribute
    having count(distinct held_value) > 1

),

per_source as (

    select
        values_held.person_id,
        values_held.attribute,
        values_held.source_code,
        min(values_held.held_value) as held_value
    from values_held
    inner join disputed
        on values_held.person_id = disputed.person_id and values_held.attribute = disputed.attribute
    group by values_held.person_id, values_held.attribute, values_held.source_code

),

final as (

    select
        per_source.person_id,
        per_source.attribute,
        per_source.source_code,
        per_source.held_value,
        case per_source.attribute
            when 'birth_date' then cast(person.birth_date as varchar)
            when 'sex' then person.sex
            when 'name' then person.name_key
        end as chosen_value,
        case per_source.attribute
            when 'birth_date' then person.birth_date_source
            when 'sex' then person.sex_source
            when 'name' then person.full_name_source
        end as chosen_from,
        'source authority, then precision, then recency' as rule
    from per_source
    inner join person on per_source.person_id = person.person_id

)

select
    *,
    held_value <> chosen_value as source_must_fix
from final
