{#-
  The defects that keep services from going fully online, nationally and per province, with the
  source that must fix each: rank 1 is the fix that unblocks the most eligible-or-applicable services.
-#}
with

defects as (

    select * from {{ ref('service_readiness_defects') }}

),

catalogue as (

    select * from {{ ref('blocking_defects') }}

),

counted as (

    select
        'national' as scope,
        'national' as area_code,
        defect_code,
        source_code,
        count(*) as services_blocked,
        count(distinct person_id) as persons_affected
    from defects
    group by 1, 2, 3, 4

    union all

    select
        'province' as scope,
        province_code as area_code,
        defect_code,
        source_code,
        count(*) as services_blocked,
        count(distinct person_id) as persons_affected
    from defects
    group by 1, 2, 3, 4

),

final as (

    select
        counted.scope,
        counted.area_code,
        counted.defect_code,
        counted.source_code as source_must_fix,
        catalogue.mode_impact,
        catalogue.fix,
        counted.services_blocked,
        counted.persons_affected,
        row_number() over (
            partition by counted.scope, counted.area_code
            order by counted.services_blocked desc, counted.defect_code asc, counted.source_code asc
        ) as rank_in_area
    from counted
    inner join catalogue on counted.defect_code = catalogue.defect_code

)

select * from final
