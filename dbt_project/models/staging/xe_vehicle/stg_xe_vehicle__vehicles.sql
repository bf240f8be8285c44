{#-
  Vehicle registration (XE): one row per vehicle and current plate, owned by a person (CCCD) or an
  organisation (MST).
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('xe_vehicle', ['so_khung', 'bien_so']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(so_khung), trim(bien_so)
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
        'XE' as source_code,
        {{ record_key(['so_khung', 'bien_so']) }} as record_key,
        case when not coalesce(trim(loai_chu_xe) = 'to_chuc', false) then {{ id_field_cccd('so_dinh_danh_chu_xe') }} end as cccd,
        case when not coalesce(trim(loai_chu_xe) = 'to_chuc', false) then {{ id_field_cmnd('so_dinh_danh_chu_xe') }} end as cmnd,
        case when not coalesce(trim(loai_chu_xe) = 'to_chuc', false) then {{ clean_text('so_dinh_danh_chu_xe') }} end as person_id_source,
        case when not coalesce(trim(loai_chu_xe) = 'to_chuc', false) then {{ person_name('chu_xe') }} end as full_name,
        case when not coalesce(trim(loai_chu_xe) = 'to_chuc', false) then {{ name_match_key('chu_xe') }} end as name_key,
        case when not coalesce(trim(loai_chu_xe) = 'to_chuc', false) then {{ name_is_unaccented('chu_xe') }} end as full_name_is_unaccented,
        case when trim(loai_chu_xe) = 'to_chuc' then {{ canonical_name('chu_xe') }} end as enterprise_name,
        case when trim(loai_chu_xe) = 'to_chuc' then {{ canonical_name('chu_xe') }} = upper({{ canonical_name('chu_xe') }}) end as enterprise_name_all_caps,
        cast(null as date) as birth_date,
        {{ null_text() }} as birth_date_precision,
        {{ null_text() }} as sex,
        {{ null_text() }} as phone,
        {{ null_text() }} as phone_invalid_reason,
        false as phone_was_stale,
        {{ null_text() }} as father_name,
        {{ null_text() }} as mother_name,
        {{ null_text() }} as spouse_name,
        {{ null_text() }} as bhxh,
        {{ null_text() }} as health_card,
        case when trim(loai_chu_xe) = 'to_chuc' then {{ clean_text('so_dinh_danh_chu_xe') }} end as mst,
        {{ clean_text('ma_tinh') }} as province_code_source,
        {{ null_text() }} as district_code_source,
        {{ clean_text('ma_xa') }} as commune_code_source,
        {{ clean_text('so_khung') }} as vin,
        upper(trim(bien_so)) as plate,
        {{ regexp_matches("upper(trim(bien_so))", '[0-9]{2}[A-Z]{1,2}-[0-9]{3}\\.[0-9]{2}') }}
        or {{ regexp_matches("upper(trim(bien_so))", '[0-9]{2}-[A-Z][A-Z0-9] [0-9]{3}\\.[0-9]{2}') }}
        or {{ regexp_matches("upper(trim(bien_so))", '[0-9]{2}[A-Z]{1,2}-[0-9]{4}') }}
        or {{ regexp_matches("upper(trim(bien_so))", '[0-9]{2}-[A-Z][A-Z0-9] [0-9]{4}') }} as plate_is_valid,
        case trim(loai_xe)
            when 'o_to' then 'car'
            when 'xe_may' then 'motorbike'
            when '' then null
            else 'unmapped'
        end as vehicle_type,
        {{ clean_text('nhan_hieu') }} as brand,
        {{ nfc(clean_text('mau_son')) }} as colour,
        {{ to_bigint(clean_text('nam_san_xuat')) }} as manufacture_year,
        case trim(loai_chu_xe)
            when 'ca_nhan' then 'individual'
            when 'to_chuc' then 'organisation'
            when '' then null
            else 'unmapped'
        end as owner_type,
        {{ clean_text('dia_chi_chu_xe') }} as owner_address,
        {{ parse_source_date('ngay_dang_ky') }} as registration_date,
        case trim(trang_thai)
            when 'dang_luu_hanh' then 'active'
            when 'cho_sang_ten' then 'pending_transfer'
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
        vin,
        plate,
        plate_is_valid,
        vehicle_type,
        brand,
        colour,
        manufacture_year,
        owner_type,
        owner_address,
        registration_date,
        status,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
