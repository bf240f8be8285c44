{{ config(materialized='ephemeral') }}
{#-
  Every person x procedure group with whether the group's eligibility rule applies. A rule is
  named in seed procedure_groups; its SQL lives here, once, so a new group that reuses a rule is
  a seed row only. Pure age rules never apply to the dead; record-based rules (an active licence,
  a vehicle, an enterprise, an insurance record) still apply, so a dead holder surfaces as the
  blocking defect `deceased` for the source that must close the record.
-#}
{%- set rules = {
    'child_under_6': 'facts.age_years < 6',
    'deceased': "facts.life_status = 'deceased'",
    'marriage_age': "facts.age_years >= case when facts.sex = 'M' then 20 else 18 end",
    'licence_holder': 'facts.age_years >= 18 and facts.licences > 0',
    'vehicle_owner': 'facts.vehicles > 0',
    'enterprise_representative': 'facts.age_years >= 18 and facts.enterprises > 0',
    'adult': 'facts.age_years >= 18',
    'insured_working_age': 'facts.age_years between 18 and 61 and facts.has_xh = 1',
    'school_age': 'facts.age_years between 5 and 17',
    'land_heir': 'facts.age_years >= 18 and facts.is_land_heir = 1',
} -%}
{%- set record_based_rules = ['licence_holder', 'vehicle_owner', 'enterprise_representative', 'insured_working_age'] -%}
with

facts as (

    select * from {{ ref('service_person_facts') }}

),

procedure_groups as (

    select * from {{ ref('procedure_groups') }}

),

ruled as (

    select
        facts.*,
        procedure_groups.procedure_group,
        procedure_groups.eligibility_rule,
        procedure_groups.requires_living,
        procedure_groups.lead_source,
        case procedure_groups.eligibility_rule
            {% for rule, expression in rules.items() %}
                when '{{ rule }}' then coalesce({{ expression }}, false)
            {% endfor %}
            else false
        end as rule_holds
    from facts
    cross join procedure_groups

),

final as (

    select
        *,
        rule_holds and (
            life_status = 'living'
            or not requires_living
            or eligibility_rule in (
                {%- for rule in record_based_rules %}
                    '{{ rule }}'{% if not loop.last %},{% endif %}
                {%- endfor %}
            )
        ) as applicable,
        rule_holds and (life_status = 'living' or not requires_living) as eligible
    from ruled

)

select * from final
