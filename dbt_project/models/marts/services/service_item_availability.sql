{{ config(materialized='ephemeral') }}
{#-
  For every applicable person x group, each data item the group needs (seed procedure_data_items)
  and whether its source holds it for that person. An item's availability is written once here;
  an item the mapping does not know is unavailable (and the seed's accepted_values test flags it).
-#}
{%- set items = {
    'identity': 'cccd_invalid_reason is null',
    'parents': 'has_parents = 1',
    'birth_record': 'has_birth_record = 1',
    'death_record': 'has_death_record = 1',
    'permanent_residence': 'has_ct = 1',
    'health_insurance_card': 'has_yb = 1',
    'social_insurance': 'has_xh = 1',
    'social_protection': 'has_as = 1',
    'civil_status_record': 'has_ht = 1',
    'driving_licence': 'licences > 0',
    'health_record': 'has_yt = 1',
    'vehicle_registration': 'vehicles > 0',
    'tax_registration': 'has_th = 1',
    'enterprise_registration': 'enterprises > 0',
    'judicial_record': 'has_ll = 1',
    'unemployment_claim': 'has_ld = 1',
    'learner_record': 'has_gd = 1',
    'estate_land_use_right': 'is_land_heir = 1',
    'estate_death_record': 'estate_death_registered = 1',
} -%}
with

applicable as (

    select * from {{ ref('service_applicability') }}
    where applicable

),

data_items as (

    select * from {{ ref('procedure_data_items') }}

),

final as (

    select
        applicable.person_id,
        applicable.procedure_group,
        data_items.data_item,
        data_items.source_code,
        data_items.required,
        data_items.prefillable,
        case data_items.data_item
            {% for item, expression in items.items() %}
                when '{{ item }}' then coalesce(applicable.{{ expression }}, false)
            {% endfor %}
            else false
        end as available
    from applicable
    inner join data_items on applicable.procedure_group = data_items.procedure_group

)

select * from final
