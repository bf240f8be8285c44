{#-
  What blocks a procedure for a person, and which source must fix it: one row per applicable
  person x procedure group x defect x owning source. Defects (seed blocking_defects): deceased,
  invalid_cccd, cmnd_only, old_ward_code, conflicting_birth_date, missing_link. Only the sources
  the group needs (seed procedure_data_items) can block it.
-#}
with

applicable as (

    select * from {{ ref('service_applicability') }}
    where applicable

),

items as (

    select * from {{ ref('service_item_availability') }}

),

group_sources as (

    select distinct
        procedure_group,
        source_code
    from {{ ref('procedure_data_items') }}

),

links as (

    select * from {{ ref('person_source_link') }}
    where person_id is not null and link_status = 'linked'

),

admin_flags as (

    {% for mention in person_mention_models() %}
        select
            source_code,
            record_key,
            admin_code_was_legacy
        from {{ ref(mention.model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

source_defects as (

    select
        links.person_id,
        links.source_code,
        max(case when links.link_rule in ('cmnd', 'cmnd_in_cccd_field') then 1 else 0 end) as cmnd_only,
        max(case when admin_flags.admin_code_was_legacy then 1 else 0 end) as old_ward_code
    from links
    left join admin_flags
        on links.source_code = admin_flags.source_code and links.record_key = admin_flags.record_key
    group by links.person_id, links.source_code

),

birth_date_conflicts as (

    select distinct
        person_id,
        source_code
    from {{ ref('person_attribute_conflicts') }}
    where attribute = 'birth_date' and source_must_fix

),

applicable_sources as (

    select
        applicable.person_id,
        applicable.procedure_group,
        applicable.province_code,
        group_sources.source_code
    from applicable
    inner join group_sources on applicable.procedure_group = group_sources.procedure_group

),

defects as (

    select
        person_id,
        procedure_group,
        province_code,
        'deceased' as defect_code,
        lead_source as source_code
    from applicable
    where requires_living and life_status = 'deceased'

    union all

    select
        person_id,
        procedure_group,
        province_code,
        'invalid_cccd' as defect_code,
        'DC' as source_code
    from applicable
    where cccd_invalid_reason is not null

    union all

    select
        applicable_sources.person_id,
        applicable_sources.procedure_group,
        applicable_sources.province_code,
        'cmnd_only' as defect_code,
        applicable_sources.source_code
    from applicable_sources
    inner join source_defects
        on applicable_sources.person_id = source_defects.person_id
            and applicable_sources.source_code = source_defects.source_code
    where source_defects.cmnd_only = 1

    union all

    select
        applicable_sources.person_id,
        applicable_sources.procedure_group,
        applicable_sources.province_code,
        'old_ward_code' as defect_code,
        applicable_sources.source_code
    from applicable_sources
    inner join source_defects
        on applicable_sources.person_id = source_defects.person_id
            and applicable_sources.source_code = source_defects.source_code
    where source_defects.old_ward_code = 1

    union all

    select
        applicable_sources.person_id,
        applicable_sources.procedure_group,
        applicable_sources.province_code,
        'conflicting_birth_date' as defect_code,
        applicable_sources.source_code
    from applicable_sources
    inner join birth_date_conflicts
        on applicable_sources.person_id = birth_date_conflicts.person_id
            and applicable_sources.source_code = birth_date_conflicts.source_code

    union all

    select
        items.person_id,
        items.procedure_group,
        applicable.province_code,
        'missing_link' as defect_code,
        items.source_code
    from items
    inner join applicable
        on items.person_id = applicable.person_id and items.procedure_group = applicable.procedure_group
    where items.required and not items.available

),

catalogue as (

    select * from {{ ref('blocking_defects') }}

),

final as (

    select distinct
        defects.person_id,
        defects.procedure_group,
        defects.province_code,
        defects.defect_code,
        defects.source_code,
        catalogue.mode_impact
    from defects
    inner join catalogue on defects.defect_code = catalogue.defect_code

)

select * from final
