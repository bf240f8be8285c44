{#-
  Driving licences (LX): one row per licence (latest version per licence number).
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('lx_driving_licence', ['so_gplx']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(so_gplx)
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
        'LX' as source_code,
        {{ record_key(['so_gplx']) }} as record_key,
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
        {{ null_text() }} as province_code_source,
        {{ null_text() }} as district_code_source,
        {{ null_text() }} as commune_code_source,
        {{ clean_text('so_gplx') }} as licence_no,
        {{ clean_text('hang_gplx') }} as licence_class,
        {{ parse_source_date('ngay_cap') }} as issue_date,
        {{ parse_source_date('ngay_het_han') }} as expiry_date,
        {{ clean_text('noi_cap') }} as issuing_province_code,
        case trim(trang_thai)
            when 'con_han' then 'active'
            when 'het_han' then 'expired'
            when 'thu_hoi' then 'revoked'
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
        licence_no,
        licence_class,
        issue_date,
        expiry_date,
        issuing_province_code,
        status,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
