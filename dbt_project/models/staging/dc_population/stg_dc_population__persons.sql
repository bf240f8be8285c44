{#-
  One row per person known to the population database: the latest version of each
  so_dinh_danh across all batches (deltas applied, deletions removed), typed and cleaned.
-#}
with

source as (

    select * from {{ source('raw', 'dc_population') }}

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
    where version_rank = 1

),

cleaned as (

    select
        trim(so_dinh_danh) as cccd,
        {{ clean_text('so_cmnd_cu') }} as cmnd,
        {{ canonical_name('ho_ten') }} as full_name,
        {{ name_match_key('ho_ten') }} as name_key,
        {{ try_parse_date(clean_text('ngay_sinh'), '%Y-%m-%d') }} as birth_date,
        case trim(gioi_tinh) when 'Nam' then 'M' when 'Nữ' then 'F' end as sex,
        {{ clean_text('ma_tinh_khai_sinh') }} as birth_province_code_legacy,
        {{ clean_text('ma_tinh_thuong_tru') }} as residence_province_code,
        {{ clean_text('ma_huyen_thuong_tru') }} as residence_district_code_legacy,
        {{ clean_text('ma_xa_thuong_tru') }} as residence_commune_code,
        {{ clean_text('dia_chi_chi_tiet') }} as residence_address,
        {{ normalize_phone('so_dien_thoai') }} as phone,
        {{ phone_invalid_reason('so_dien_thoai') }} as phone_invalid_reason,
        {{ clean_text('ma_ho_gia_dinh') }} as household_id,
        {{ clean_text('quan_he_chu_ho') }} as relation_to_head,
        {{ clean_text('so_dinh_danh_cha') }} as father_cccd,
        {{ canonical_name('ho_ten_cha') }} as father_name,
        {{ clean_text('so_dinh_danh_me') }} as mother_cccd,
        {{ canonical_name('ho_ten_me') }} as mother_name,
        trim(tinh_trang) = 'da_mat' as is_deceased,
        {{ try_parse_date(clean_text('ngay_mat'), '%Y-%m-%d') }} as death_date,
        {{ parse_timestamp_tz('ngay_cap_nhat') }} as source_updated_at,
        trim(thao_tac) = 'D' as is_deleted,
        _batch_id as source_batch_id,
        _row_hash as source_row_hash
    from latest

),

validated as (

    select
        *,
        {{ cccd_invalid_reason('cccd', 'birth_date', 'sex') }} as cccd_invalid_reason,
        {{ cmnd_invalid_reason('cmnd') }} as cmnd_invalid_reason
    from cleaned

)

select * from validated
where not is_deleted
