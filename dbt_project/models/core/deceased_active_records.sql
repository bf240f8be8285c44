{#-
  Death propagation ("sống"): records still active in residence, benefits, health insurance,
  licences or vehicles for a person the register knows to be dead. Each row tells a source owner
  which record to close.
-#}
with

deceased as (

    select
        person_id,
        death_date,
        life_status_source
    from {{ ref('person') }}
    where life_status = 'deceased'

),

links as (

    select * from {{ ref('person_source_link') }}
    where person_id is not null

),

active_records as (

    {% set sources = [
        ('CT', 'stg_ct_residence__registrations', "status = 'active'"),
        ('AS', 'stg_as_social_protection__beneficiaries', "status = 'active'"),
        ('YB', 'stg_yb_health_insurance__cards', "status = 'active'"),
        ('LX', 'stg_lx_driving_licence__licences', "status = 'active'"),
        ('XE', 'stg_xe_vehicle__vehicles', "status = 'active' and owner_type = 'individual'"),
    ] %}
    {% for code, model, active in sources %}
        select
            '{{ code }}' as source_code,
            record_key,
            source_updated_at
        from {{ ref(model) }}
        where {{ active }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    links.person_id,
    deceased.death_date,
    deceased.life_status_source as death_known_from,
    active_records.source_code,
    active_records.record_key,
    active_records.source_updated_at as source_last_updated
from active_records
inner join links
    on active_records.source_code = links.source_code and active_records.record_key = links.record_key
inner join deceased on links.person_id = deceased.person_id
