{#-
  Land parcels (DD): one row per parcel (latest version per commune + map sheet + parcel number) with
  its (first) land user. Co-owners written in one field are split off.
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('dd_land', ['ma_xa', 'so_to_ban_do', 'so_thua']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(ma_xa), trim(so_to_ban_do), trim(so_thua)
            order by {{ parse_timestamp_tz('ngay_cap_nhat') }} desc, _batch_id desc, _row_number desc
        ) as version_rank
    from source

),

latest as (

    select
        *,
        {{ split_text('ho_ten_chu_su_dung', ', ', 1) }} as owner_name_1,
        {{ split_text('ho_ten_chu_su_dung', ', ', 2) }} as owner_name_2
    from versioned
    where version_rank = 1 and {{ staging_keeps_version() }}

),

cleaned as (

    select
        'DD' as source_code,
        {{ record_key(['ma_xa', 'so_to_ban_do', 'so_thua']) }} as record_key,
        {{ id_field_cccd('so_giay_to_chu') }} as cccd,
        {{ id_field_cmnd('so_giay_to_chu') }} as cmnd,
        {{ clean_text('so_giay_to_chu') }} as person_id_source,
        {{ person_name('owner_name_1') }} as full_name,
        {{ name_match_key('owner_name_1') }} as name_key,
        {{ person_name('owner_name_2') }} as co_owner_name,
        coalesce(ho_ten_chu_su_dung like '%,%', false) as has_co_owner,
        {{ name_is_unaccented('ho_ten_chu_su_dung') }} as full_name_is_unaccented,
        {{ parse_source_date('ngay_sinh_chu', cccd='trim(so_giay_to_chu)', max_year="cast(substr(trim(ngay_cap_nhat), 1, 4) as integer) - 16") }} as birth_date,
        {{ source_date_precision('ngay_sinh_chu', defaults_0101=true) }} as birth_date_precision,
        {{ null_text() }} as sex,
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
        {{ clean_text('ma_huyen') }} as district_code_source,
        {{ clean_text('ma_xa') }} as commune_code_source,
        {{ clean_text('so_to_ban_do') }} as map_sheet_no,
        {{ clean_text('so_thua') }} as parcel_no,
        {{ to_double(clean_text('dien_tich')) }} as area_m2,
        {{ clean_text('muc_dich_su_dung') }} as land_use_code,
        {{ clean_text('loai_giay_to') }} as owner_document_type,
        {{ clean_text('dia_chi_thua_dat') }} as parcel_address,
        {{ clean_text('so_giay_chung_nhan') }} as certificate_no,
        {{ parse_source_date('ngay_cap_gcn') }} as certificate_date,
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

    {{ admin_conversion('validated', has_district=true) | indent(4) }}

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
        co_owner_name,
        has_co_owner,
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
        map_sheet_no,
        parcel_no,
        area_m2,
        land_use_code,
        owner_document_type,
        parcel_address,
        certificate_no,
        certificate_date,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
