{#-
  Population database (DC), one row per living or deceased person: the latest version of each CCCD
  across all landed batches, deletions applied. The authoritative identity source.
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('dc_population', ['so_dinh_danh']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(so_dinh_danh)
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
        'DC' as source_code,
        {{ record_key(['so_dinh_danh']) }} as record_key,
        {{ id_field_cccd('so_dinh_danh') }} as cccd,
        {{ clean_text('so_cmnd_cu') }} as cmnd,
        {{ clean_text('so_dinh_danh') }} as person_id_source,
        {{ person_name('ho_ten') }} as full_name,
        {{ name_match_key('ho_ten') }} as name_key,
        {{ name_is_unaccented('ho_ten') }} as full_name_is_unaccented,
        {{ parse_source_date('ngay_sinh', cccd='trim(so_dinh_danh)') }} as birth_date,
        {{ source_date_precision('ngay_sinh') }} as birth_date_precision,
        case {{ nfc('trim(gioi_tinh)') }} when 'Nam' then 'M' when 'Nữ' then 'F' end as sex,
        {{ vn_phone('so_dien_thoai') }} as phone,
        {{ vn_phone_invalid_reason('so_dien_thoai') }} as phone_invalid_reason,
        {{ vn_phone_was_stale('so_dien_thoai') }} as phone_was_stale,
        {{ person_name('ho_ten_cha') }} as father_name,
        {{ person_name('ho_ten_me') }} as mother_name,
        {{ null_text() }} as spouse_name,
        {{ null_text() }} as bhxh,
        {{ null_text() }} as health_card,
        {{ null_text() }} as mst,
        {{ clean_text('ma_tinh_thuong_tru') }} as province_code_source,
        {{ clean_text('ma_huyen_thuong_tru') }} as district_code_source,
        {{ clean_text('ma_xa_thuong_tru') }} as commune_code_source,
        {{ clean_text('ma_tinh_khai_sinh') }} as birth_province_code_legacy,
        {{ clean_text('dia_chi_chi_tiet') }} as residence_address,
        {{ clean_text('ma_ho_gia_dinh') }} as household_id,
        {{ clean_text('quan_he_chu_ho') }} as relation_to_head,
        {{ clean_text('so_dinh_danh_cha') }} as father_cccd,
        {{ clean_text('so_dinh_danh_me') }} as mother_cccd,
        trim(tinh_trang) = 'da_mat' as is_deceased,
        case trim(tinh_trang)
            when 'con_song' then 'alive'
            when 'da_mat' then 'deceased'
            when '' then null
            else 'unmapped'
        end as life_status,
        {{ parse_source_date('ngay_mat') }} as death_date,
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
        birth_province_code_legacy,
        residence_address,
        household_id,
        relation_to_head,
        father_cccd,
        mother_cccd,
        is_deceased,
        life_status,
        death_date,
        commune_code as residence_commune_code,
        province_code as residence_province_code,
        commune_code_source as residence_commune_code_source,
        district_code_source as residence_district_code_legacy,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
