{#-
  One golden record per enterprise (MST): the enterprise register (DN) is the authority; tax
  registration (TH) fills enterprises DN does not hold and confirms the status. The legal
  representative is resolved to a person through the identity links.
-#}
with

registered as (

    select * from {{ ref('stg_dn_enterprise__enterprises') }}
    where mst is not null

),

taxpayers as (

    select * from {{ ref('stg_th_tax__taxpayers') }}
    where taxpayer_type = 'organisation' and mst is not null

),

representatives as (

    select
        record_key,
        person_id
    from {{ ref('person_source_link') }}
    where source_code = 'DN' and mention_role = 'legal_representative'

),

all_mst as (

    select mst from registered
    union
    select mst from taxpayers

),

final as (

    select
        {{ dbt.hash("'enterprise:' || all_mst.mst") }} as enterprise_id,
        all_mst.mst,
        coalesce(registered.mst_invalid_reason, taxpayers.mst_invalid_reason) as mst_invalid_reason,
        coalesce(registered.enterprise_name, taxpayers.enterprise_name) as enterprise_name,
        case when registered.mst is not null then 'DN' else 'TH' end as enterprise_source,
        registered.enterprise_type,
        registered.industry_code,
        registered.founded_date,
        registered.charter_capital_vnd,
        coalesce(registered.commune_code, taxpayers.commune_code) as commune_code,
        coalesce(registered.province_code, taxpayers.province_code) as province_code,
        registered.status as registration_status,
        taxpayers.status as tax_status,
        case
            when registered.status in ('dissolved', 'inactive') or taxpayers.status = 'inactive' then 'inactive'
            when registered.status = 'suspended' then 'suspended'
            else 'active'
        end as status,
        registered.status = 'active' and taxpayers.status = 'inactive' as status_conflict,
        representatives.person_id as representative_person_id,
        coalesce(registered.source_updated_at, taxpayers.source_updated_at) as as_of
    from all_mst
    left join registered on all_mst.mst = registered.mst
    left join taxpayers on all_mst.mst = taxpayers.mst
    left join representatives on registered.record_key = representatives.record_key

)

select * from final
