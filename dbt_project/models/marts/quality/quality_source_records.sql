{#-
  The inputs of the seven-principle scorecard, one row per current staging record of every
  source: which of its values were tested by a validator and passed, which required fields are
  filled, whether it is in canonical form and in 2025 admin codes, whether it is linked to a
  person, and whether it carries a defect that blocks its use in a public service.
  Counts are integers so that the scorecard can sum them per source and day (see
  quality_scorecard.yml for the formulas). A column a source does not have counts as untested.
-#}
{%- set identifiers = ['cccd', 'cmnd', 'mst', 'bhxh', 'health_card'] -%}
{%- set required = ['full_name', 'birth_date', 'sex', 'commune_code'] -%}
with

{% for src in quality_sources() %}
    {{ src.name }} as (

        {%- set present = [] -%}
        {%- if execute -%}
        {%- set present = adapter.get_columns_in_relation(ref(src.model)) | map(attribute='name') | map('lower') | list -%}
    {%- endif %}
        select
            '{{ src.name }}' as source_name,
            '{{ src.code }}' as source_code,
            record_key,
            source_batch_id,
            {{ quality_batch_day('source_batch_id') }} as batch_day,
            {#- đúng: identifier values present (or rejected with a reason) and passing their validator -#}
            {%- set tested = [] -%}{%- set valid = [] -%}
            {%- for id in identifiers if (not execute) or (id in present and (id ~ '_invalid_reason') in present) %}
                {%- do tested.append("case when " ~ id ~ " is not null or " ~ id ~ "_invalid_reason is not null then 1 else 0 end") -%}
                {%- do valid.append("case when " ~ id ~ " is not null and " ~ id ~ "_invalid_reason is null then 1 else 0 end") -%}
            {%- endfor %}
            {{ tested | join(' + ') if tested else '0' }} as identifier_values_tested,
            {{ valid | join(' + ') if valid else '0' }} as identifier_values_valid,
            {%- if (not execute) or 'birth_date_precision' in present %}
                case when birth_date_precision is not null then 1 else 0 end as date_values_tested,
                case when birth_date_precision = 'day' then 1 else 0 end as date_values_valid,
            {%- else %}
                0 as date_values_tested,
                0 as date_values_valid,
            {%- endif %}
            {%- if (not execute) or 'phone_invalid_reason' in present %}
                case when phone is not null or phone_invalid_reason is not null then 1 else 0 end as phone_values_tested,
                case when phone is not null and phone_invalid_reason is null then 1 else 0 end as phone_values_valid,
                case when phone is not null and not coalesce(phone_was_stale, false) then 1 else 0 end as phone_canonical,
            {%- else %}
                0 as phone_values_tested,
                0 as phone_values_valid,
                0 as phone_canonical,
            {%- endif %}
            {#- đủ: required fields filled (the scorecard counts a field only for sources that carry it) -#}
            case when cccd is not null or cmnd is not null then 1 else 0 end as has_identifier,
            {%- for column in required %}
                {%- if (not execute) or column in present %}
                    case when {{ column }} is not null then 1 else 0 end as has_{{ column }},
                {%- else %}
                    0 as has_{{ column }},
                {%- endif %}
            {%- endfor %}
            {#- sạch: names with their diacritics -#}
            {%- if (not execute) or 'full_name_is_unaccented' in present %}
                case when full_name is not null then 1 else 0 end as name_values,
                case when full_name is not null and not coalesce(full_name_is_unaccented, false) then 1 else 0 end
                    as name_canonical,
            {%- else %}
                0 as name_values,
                0 as name_canonical,
            {%- endif %}
            {#- thống nhất: an admin unit, in the 2025 code system, without a conversion needing review -#}
            {%- if (not execute) or 'commune_code' in present %}
                case when commune_code is not null or commune_code_source is not null then 1 else 0 end as admin_values,
                commune_code,
                coalesce(admin_needs_review, false) as admin_needs_review,
            {%- else %}
                0 as admin_values,
                cast(null as varchar) as commune_code,
                false as admin_needs_review,
            {%- endif %}
            cccd_invalid_reason is not null as cccd_rejected
        from {{ ref(src.model) }}

    ),

{% endfor %}
records as (

    {% for src in quality_sources() %}
        select * from {{ src.name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

communes_2025 as (

    select cast(commune_code as varchar) as commune_code from {{ ref('admin_commune_2025') }}

),

links as (

    select * from {{ ref('person_source_link') }}

),

persons as (

    select
        person_id,
        life_status
    from {{ ref('person') }}

),

record_links as (

    select
        links.source_code,
        links.record_key,
        count(*) as mentions,
        sum(case when links.link_status = 'linked' then 1 else 0 end) as linked_mentions,
        max(case when persons.life_status = 'deceased' then 1 else 0 end) as of_deceased_person
    from links
    left join persons on links.person_id = persons.person_id
    group by 1, 2

),

disagreeing as (

    select distinct
        links.source_code,
        links.record_key
    from links
    inner join {{ ref('person_attribute_conflicts') }} as conflicts
        on links.person_id = conflicts.person_id and links.source_code = conflicts.source_code
    where conflicts.source_must_fix

),

deceased_active as (

    select distinct
        source_code,
        record_key
    from {{ ref('deceased_active_records') }}

),

final as (

    select
        records.source_name,
        records.source_code,
        records.record_key,
        records.source_batch_id,
        records.batch_day,
        records.identifier_values_tested,
        records.identifier_values_valid,
        records.date_values_tested,
        records.date_values_valid,
        records.phone_values_tested,
        records.phone_values_valid,
        records.has_identifier,
        records.has_full_name,
        records.has_birth_date,
        records.has_sex,
        records.has_commune_code,
        records.name_values,
        records.name_canonical,
        records.phone_canonical,
        records.admin_values,
        case
            when records.admin_values = 1 and communes_2025.commune_code is not null and not records.admin_needs_review
                then 1
            else 0
        end as admin_unified,
        coalesce(record_links.mentions, 0) as person_mentions,
        coalesce(record_links.linked_mentions, 0) as linked_mentions,
        case when record_links.mentions > 0 then 1 else 0 end as is_person_record,
        case when record_links.linked_mentions > 0 then 1 else 0 end as is_linked,
        case when disagreeing.record_key is not null then 1 else 0 end as disagrees_with_register,
        coalesce(record_links.of_deceased_person, 0) as of_deceased_person,
        case when deceased_active.record_key is not null then 1 else 0 end as active_after_death,
        case
            when record_links.linked_mentions > 0
                and not records.cccd_rejected
                and not records.admin_needs_review
                and disagreeing.record_key is null
                and deceased_active.record_key is null
                then 1
            else 0
        end as usable_by_services
    from records
    left join communes_2025 on records.commune_code = communes_2025.commune_code
    left join record_links
        on records.source_code = record_links.source_code and records.record_key = record_links.record_key
    left join disagreeing
        on records.source_code = disagreeing.source_code and records.record_key = disagreeing.record_key
    left join deceased_active
        on records.source_code = deceased_active.source_code and records.record_key = deceased_active.record_key

)

select * from final
