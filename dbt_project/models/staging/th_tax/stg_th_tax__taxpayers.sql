{#-
  Tax registration (TH): one row per taxpayer (latest version per MST): individuals (since 1 Jul 2025
  a CCCD serves as the personal tax code) and organisations with their branches.
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('th_tax', ['mst']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(mst)
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
        'TH' as source_code,
        {{ record_key(['mst']) }} as record_key,
        {{ id_field_cccd('so_dinh_danh') }} as cccd,
        {{ id_field_cmnd('so_dinh_danh') }} as cmnd,
        {{ clean_text('so_dinh_danh') }} as person_id_source,
        case when not coalesce(trim(loai_nnt) = 'to_chuc', false) then {{ person_name('ten_nguoi_nop_thue') }} end as full_name,
        case when not coalesce(trim(loai_nnt) = 'to_chuc', false) then {{ name_match_key('ten_nguoi_nop_thue') }} end as name_key,
        case when not coalesce(trim(loai_nnt) = 'to_chuc', false) then {{ name_is_unaccented('ten_nguoi_nop_thue') }} end as full_name_is_unaccented,
        case when trim(loai_nnt) = 'to_chuc' then {{ canonical_name('ten_nguoi_nop_thue') }} end as enterprise_name,
        case
            when trim(loai_nnt) = 'to_chuc'
                then {{ canonical_name('ten_nguoi_nop_thue') }} = upper({{ canonical_name('ten_nguoi_nop_thue') }})
        end as enterprise_name_all_caps,
        {{ parse_source_date('ngay_sinh', cccd='trim(so_dinh_danh)') }} as birth_date,
        {{ source_date_precision('ngay_sinh') }} as birth_date_precision,
        {{ null_text() }} as sex,
        {{ null_text() }} as phone,
        {{ null_text() }} as phone_invalid_reason,
        false as phone_was_stale,
        {{ null_text() }} as father_name,
        {{ null_text() }} as mother_name,
        {{ null_text() }} as spouse_name,
        {{ null_text() }} as bhxh,
        {{ null_text() }} as health_card,
        {{ clean_text('mst') }} as mst,
        {{ clean_text('ma_tinh') }} as province_code_source,
        {{ null_text() }} as district_code_source,
        {{ clean_text('ma_xa') }} as commune_code_source,
        case trim(loai_nnt)
            when 'ca_nhan' then 'individual'
            when 'to_chuc' then 'organisation'
            when '' then null
            else 'unmapped'
        end as taxpayer_type,
        {{ regexp_matches("trim(mst)", '[0-9]{12}') }} as mst_is_cccd,
        {{ clean_text('dia_chi') }} as address,
        {{ clean_text('ma_co_quan_thue') }} as tax_office_code,
        {{ parse_source_date('ngay_cap_mst') }} as mst_issued_date,
        case trim(trang_thai_mst)
            when 'dang_hoat_dong' then 'active'
            when 'ngung_hoat_dong' then 'inactive'
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
        case when mst_is_cccd and taxpayer_type = 'individual' then null else {{ mst_invalid_reason('mst') }} end as mst_invalid_reason,
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
        enterprise_name,
        enterprise_name_all_caps,
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
        taxpayer_type,
        mst_is_cccd,
        address,
        tax_office_code,
        mst_issued_date,
        status,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
