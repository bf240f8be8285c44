{#-
  Public-service readiness: one row per person x procedure group. Eligible or not, the data items
  the portal can pre-fill from the consolidated database, what blocks the procedure (defect:source
  that must fix it) and the mode: fully_online (eligible, nothing blocks), partly_online (only
  defects the citizen can work around online: a missing record, an old code, a CMND), at_the_counter
  (identity must be verified in person: conflicting birth date, invalid CCCD, deceased), not_eligible.
-#}
with

applicability as (

    select * from {{ ref('service_applicability') }}

),

items as (

    select * from {{ ref('service_item_availability') }}

),

defects as (

    select * from {{ ref('service_readiness_defects') }}

),

prefill as (

    select
        person_id,
        procedure_group,
        {{ dbt.listagg(
            "case when available and prefillable then data_item end", "','", "order by data_item"
        ) }} as prefilled_fields,
        sum(case when available and prefillable then 1 else 0 end) as prefilled_count,
        count(*) as data_items
    from items
    group by person_id, procedure_group

),

blocking as (

    select
        person_id,
        procedure_group,
        {{ dbt.listagg("defect_code || ':' || source_code", "','", "order by defect_code, source_code") }}
            as blocking_defects,
        count(*) as defect_count,
        max(case when mode_impact = 'at_the_counter' then 1 else 0 end) as needs_counter
    from defects
    group by person_id, procedure_group

),

final as (

    select
        applicability.person_id,
        applicability.procedure_group,
        applicability.province_code,
        applicability.residence_commune_code as commune_code,
        applicability.applicable,
        applicability.eligible,
        prefill.prefilled_fields,
        coalesce(prefill.prefilled_count, 0) as prefilled_count,
        coalesce(prefill.data_items, 0) as data_items,
        blocking.blocking_defects,
        coalesce(blocking.defect_count, 0) as defect_count,
        case
            when not applicability.eligible then 'not_eligible'
            when blocking.needs_counter = 1 then 'at_the_counter'
            when blocking.defect_count > 0 then 'partly_online'
            else 'fully_online'
        end as mode
    from applicability
    left join prefill
        on applicability.person_id = prefill.person_id and applicability.procedure_group = prefill.procedure_group
    left join blocking
        on applicability.person_id = blocking.person_id and applicability.procedure_group = blocking.procedure_group

)

select * from final
