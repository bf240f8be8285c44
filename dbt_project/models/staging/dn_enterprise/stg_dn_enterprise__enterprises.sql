{#-
  Enterprise registration (DN): one row per enterprise (latest version per MST), with its legal
  representative's identity document.
  Generated layout, shared by every staging model: source -> versioned (latest version per natural key
  across all batches; exact duplicates collapse here) -> latest (deletions removed; kept as tombstones in an
  incremental build, see macros/staging_incremental.sql) -> cleaned (types,
  names, dates, phones) -> validated (identifier reasons) -> converted (2025 admin units, by join) -> final.
-#}
with

source as (

    {{ staging_source('dn_enterprise', ['ma_so_doanh_nghiep']) }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by trim(ma_so_doanh_nghiep)
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
        'DN' as source_code,
        {{ record_key(['ma_so_doanh_nghiep']) }} as record_key,
        {{ id_field_cccd('so_giay_to_dai_dien') }} as rep_cccd,
        {{ id_field_cmnd('so_giay_to_dai_dien') }} as rep_cmnd,
        {{ clean_text('so_giay_to_dai_dien') }} as rep_id_source,
        {{ person_name('nguoi_dai_dien') }} as rep_full_name,
        {{ name_match_key('nguoi_dai_dien') }} as rep_name_key,
        {{ vn_phone('so_dien_thoai') }} as phone,
        {{ vn_phone_invalid_reason('so_dien_thoai') }} as phone_invalid_reason,
        {{ vn_phone_was_stale('so_dien_thoai') }} as phone_was_stale,
        {{ clean_text('ma_so_doanh_nghiep') }} as mst,
        {{ clean_text('ma_tinh') }} as province_code_source,
        {{ clean_text('ma_huyen') }} as district_code_source,
        {{ clean_text('ma_xa') }} as commune_code_source,
        {{ canonical_name('ten_doanh_nghiep') }} as enterprise_name,
        case trim(loai_hinh)
            when 'cong_ty_tnhh' then 'llc'
            when 'cong_ty_co_phan' then 'joint_stock'
            when 'cong_ty_tnhh_mtv' then 'single_member_llc'
            when 'doanh_nghiep_tu_nhan' then 'private_enterprise'
            when 'cong_ty_hop_danh' then 'partnership'
            when '' then null
            else 'unmapped'
        end as enterprise_type,
        {{ parse_source_date('ngay_thanh_lap') }} as founded_date,
        {{ clean_text('dia_chi_tru_so') }} as address,
        {{ clean_text('loai_giay_to') }} as rep_document_type,
        {{ to_bigint(clean_text('von_dieu_le')) }} as charter_capital_vnd,
        {{ clean_text('nganh_nghe_chinh') }} as industry_code,
        case trim(trang_thai)
            when 'dang_hoat_dong' then 'active'
            when 'tam_ngung_kinh_doanh' then 'suspended'
            when 'da_giai_the' then 'dissolved'
            when 'ngung_hoat_dong_chua_giai_the' then 'inactive'
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
        {{ cccd_invalid_reason('rep_id_source', 'cast(null as date)', 'null') }} as rep_cccd_invalid_reason,
        {{ cmnd_invalid_reason('rep_cmnd') }} as rep_cmnd_invalid_reason,
        {{ mst_invalid_reason('mst') }} as mst_invalid_reason
    from cleaned

),

converted as (

    {{ admin_conversion('validated', has_district=true) | indent(4) }}

),

final as (

    select
        source_code,
        record_key,
        mst,
        mst_invalid_reason,
        enterprise_name,
        rep_full_name,
        rep_name_key,
        rep_cccd,
        rep_cmnd,
        rep_cccd_invalid_reason,
        rep_cmnd_invalid_reason,
        rep_cccd as cccd,
        rep_cmnd as cmnd,
        rep_cccd_invalid_reason as cccd_invalid_reason,
        rep_cmnd_invalid_reason as cmnd_invalid_reason,
        rep_full_name as full_name,
        rep_name_key as name_key,
        phone,
        phone_invalid_reason,
        phone_was_stale,
        commune_code,
        province_code,
        admin_code_was_legacy,
        admin_conversion_confidence,
        admin_needs_review,
        commune_code_source,
        province_code_source,
        district_code_source as district_code_legacy,
        enterprise_type,
        founded_date,
        address,
        rep_document_type,
        charter_capital_vnd,
        industry_code,
        status,
        source_updated_at,
        source_batch_id,
        source_ingested_at,
        source_row_hash,
        source_deleted
    from converted

)

select * from final
