{#-
  Social protection and merit beneficiaries (AS): one row per beneficiary (latest version per
  beneficiary id).
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('as_social_protection', ['ma_doi_tuong']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(ma_doi_tuong)
            order by {{ parse_timestamp_tz('ngay_cap_nhat') }} desc, _batch_id desc, _row_number desc
        ) as version_rank
    from source

),

latest as (

    select * from versioned
    where version_rank = 1 and {{ staging_keeps_version() }}

),

cleaned as (

    select
        'AS' as source_code,
        {{ record_key(['ma_doi_tuong']) }} as record_key,
        {{ id_field_cccd('so_dinh_danh') }} as cccd,
        {{ id_field_cmnd('so_dinh_danh') }} as cmnd,
        {{ clean_text('so_dinh_danh') }} as person_id_source,
        {{ person_name('ho_ten') }} as full_name,
        {{ name_match_key('ho_ten') }} as name_key,
        {{ name_is_unaccented('ho_ten') }} as full_name_is_unaccented,
        {{ parse_source_date('ngay_sinh', cccd='trim(so_dinh_danh)') }} as birth_date,
        {{ source_date_precision('ngay_sinh') }} as birth_date_precision,
        case {{ nfc('trim(gioi_tinh)') }} when 'Nam' then 'M' when 'Nữ' then 'F' end as sex,
        {{ null_text() }} as phone,
        {{ null_text() }} as phone_invalid_reason,
        false as phone_was_stale,
        {{ null_text() }} as father_name,
        {{ null_text() }} as mother_name,
        {{ null_text() }} as spouse_name,
        {{ null_text() }} as bhxh,
        {{ null_text() }} as health_card,
        {{ null_text() }} as mst,
        {{ clean_text('ma_tinh') }} as province_code_source,
        {{ null_text() }} as district_code_source,
        {{ clean_text('ma_xa') }} as commune_code_source,
        {{ clean_text('ma_doi_tuong') }} as beneficiary_id,
        case trim(loai_doi_tuong)
            when 'nguoi_co_cong' then 'merit'
            when 'nguoi_cao_tuoi' then 'elderly'
            when 'tre_em_mo_coi' then 'orphan'
            when 'nguoi_khuyet_tat' then 'disabled'
            when 'ho_ngheo' then 'poor_household'
            when '' then null
            else 'unmapped'
        end as beneficiary_type,
        {{ to_bigint(clean_text('muc_tro_cap')) }} as monthly_allowance_vnd,
        {{ parse_source_date('ngay_huong') }} as benefit_start_date,
        {{ clean_text('dia_chi') }} as address,
        case trim(trang_thai)
            when 'dang_huong' then 'active'
            when 'dung_huong' then 'inactive'
            when '' then null
            else 'unmapped'
        end as status,
        {{ parse_timestamp_tz('ngay_cap_nhat') }} as source_updated_at,
        _batch_id as source_batch_id,
        _ingested_at as source_ingested_at,
        _row_hash as source_row_hash,
        {{ source_deleted() }} as source_deleted
    from latest

),

validated as (

    select
        *,
        {{ cccd_invalid_reason('person_id_source', 'birth_date', 'sex') }} as cccd_invalid_reason,
        {{ cmnd_invalid_reason('cmnd') }} as cmnd_invalid_reason,
        {{ mst_invalid_reason('mst') }} as mst_invalid_reason,
        {{ bhxh_invalid_reason('bhxh') }} as bhxh_invalid_reason,
        {{ health_card_invalid_reason('health_card', 'bhxh') }} as health_card_invalid_reason
    from cleaned

),

converted as (

    {{ admin_conversion('validated', has_district=false) | indent(4) }}

),

final as (

    select
        source_code,
        record_key,
        cccd,
        cmnd,
        cccd_invalid_reason,
        cmnd_invalid_reason,
        full_name,
        name_key,
        full_name_is_unaccented,
        birth_date,
        birth_date_precision,
        sex,
        phone,
        phone_invalid_reason,
        phone_was_stale,
        father_name,
        mother_name,
        spouse_name,
        bhxh,
        bhxh_invalid_reason,
        mst,
        mst_invalid_reason,
        health_card,
        health_card_invalid_reason,
        commune_code,
        province_code,
        admin_code_was_legacy,
        admin_conversion_confidence,
        admin_needs_review,
        commune_code_source,
        province_code_source,
        district_code_source as district_code_legacy,
        beneficiary_id,
        beneficiary_type,
        monthly_allowance_vnd,
        benefit_start_date,
        address,
        status,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
