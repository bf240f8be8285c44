{#-
  Readiness KPIs, nationally and per province of residence, per procedure group and over all
  groups ('all'): eligible services and how many can be done fully online, partly online or only
  at the counter. The headline: share_fully_online = fully online / eligible.
-#}
with

readiness as (

    select * from {{ ref('service_readiness') }}
    where eligible

),

{%- set levels = [
    ('national', "'national'", 'procedure_group'),
    ('national', "'national'", "'all'"),
    ('province', 'province_code', 'procedure_group'),
    ('province', 'province_code', "'all'"),
] %}

counted as (

    {% for scope, area, service in levels %}
        select
            '{{ scope }}' as scope,
            {{ area }} as area_code,
            {{ service }} as procedure_group,
            count(*) as eligible_services,
            count(distinct person_id) as eligible_persons,
            sum(case when mode = 'fully_online' then 1 else 0 end) as fully_online,
            sum(case when mode = 'partly_online' then 1 else 0 end) as partly_online,
            sum(case when mode = 'at_the_counter' then 1 else 0 end) as at_the_counter,
            sum(prefilled_count) as prefilled_fields,
            sum(data_items) as data_items
        from readiness
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        *,
        round(100.0 * fully_online / eligible_services, 2) as share_fully_online_pct,
        round(100.0 * prefilled_fields / nullif(data_items, 0), 2) as share_prefilled_pct
    from counted

)

select * from final
