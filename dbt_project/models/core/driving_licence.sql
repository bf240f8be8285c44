{#- Driving licences (LX) with their holder. -#}
select
    {{ dbt.hash("'licence:' || licences.record_key") }} as driving_licence_id,
    licences.licence_no,
    licences.licence_class,
    licences.issue_date,
    licences.expiry_date,
    licences.status,
    links.person_id as holder_person_id,
    links.link_status as holder_link_status,
    licences.source_updated_at as as_of
from {{ ref('stg_lx_driving_licence__licences') }} as licences
left join {{ ref('person_source_link') }} as links
    on links.source_code = 'LX' and licences.record_key = links.record_key
