{#-
  Administrative codes to the 2025 units, by join (never per row), for every staging model
  (DOMAIN.md "The 2025 administrative reform"). `relation` must carry the source's codes as
  province_code_source, commune_code_source and (when the source has one) district_code_source.

  A commune code is read as *legacy* when the record carries a legacy district code, or when
  (province, commune) is a legacy ward of that legacy province and not a 2025 commune of that 2025
  province; otherwise as 2025 (codes are never reused, and a unit that kept its code maps onto
  itself). Legacy wards convert through the default row of admin_ward_legacy_to_2025; a split ward
  keeps the mapping's confidence and is flagged for review. A province-only record converts through
  admin_province_legacy. Adds: commune_code, province_code (2025), admin_code_was_legacy,
  admin_conversion_confidence (1.0 unless a split ward; 0 for unknown codes), admin_needs_review.
  A code that is both a 2025 commune and a legacy ward of the same-numbered province, mapping to a
  different 2025 commune, cannot be told apart without a district: it is kept as 2025, with
  confidence 0.5 and flagged for review.
-#}
{% macro admin_conversion(relation, has_district=false) -%}
    {%- set is_legacy -%}
        case
            {%- if has_district %}
            when t.district_code_source is not null and lw.legacy_ward_code is not null then true
            {%- endif %}
            when nc.commune_code is not null
                and (t.province_code_source is null or nc.province_code = t.province_code_source) then false
            when lw.legacy_ward_code is not null
                and (t.province_code_source is null or lw.legacy_province_code = t.province_code_source) then true
            when nc.commune_code is not null then false
            when lw.legacy_ward_code is not null then true
            when t.commune_code_source is null and np.province_code is null and lp.province_code is not null then true
            else false
        end
    {%- endset -%}
    {%- set is_ambiguous -%}
        (nc.commune_code is not null and lw.legacy_ward_code is not null
            and nc.province_code = t.province_code_source and lw.legacy_province_code = t.province_code_source
            and lw.commune_code_2025 <> nc.commune_code)
    {%- endset -%}
    select
        t.*,
        case
            when {{ is_legacy }} and t.commune_code_source is not null then lw.commune_code_2025
            when nc.commune_code is not null then nc.commune_code
        end as commune_code,
        case
            when {{ is_legacy }} and t.commune_code_source is not null then lw.province_code_2025
            when nc.commune_code is not null then nc.province_code
            when np.province_code is not null then np.province_code
            else lp.province_code_2025
        end as province_code,
        {{ is_legacy }} as admin_code_was_legacy,
        case
            when t.commune_code_source is null and t.province_code_source is null then null
            when t.commune_code_source is not null and nc.commune_code is null and lw.legacy_ward_code is null then 0.0
            when t.commune_code_source is null and np.province_code is null and lp.province_code is null then 0.0
            when {{ is_legacy }} and t.commune_code_source is not null then coalesce(cast(lw.confidence as double), 1.0)
            when {{ is_ambiguous }} then 0.5
            else 1.0
        end as admin_conversion_confidence,
        case
            when t.commune_code_source is null and t.province_code_source is null then false
            when t.commune_code_source is not null and nc.commune_code is null and lw.legacy_ward_code is null then true
            when t.commune_code_source is null and np.province_code is null and lp.province_code is null then true
            when {{ is_legacy }} and t.commune_code_source is not null then coalesce(lw.is_split = 1, false)
            when {{ is_ambiguous }} then true
            when nc.commune_code is not null and t.province_code_source is not null
                and nc.province_code <> t.province_code_source then true
            else false
        end as admin_needs_review
    from {{ relation }} as t
    left join {{ ref('admin_commune_2025') }} as nc
        on t.commune_code_source = nc.commune_code
    left join (
        select legacy_ward_code, legacy_province_code, commune_code_2025, province_code_2025, is_split, confidence
        from {{ ref('admin_ward_legacy_to_2025') }}
        where is_default = 1
    ) as lw
        on t.commune_code_source = lw.legacy_ward_code
    left join {{ ref('admin_province_2025') }} as np
        on t.province_code_source = np.province_code
    left join {{ ref('admin_province_legacy') }} as lp
        on t.province_code_source = lp.province_code
{%- endmacro %}

{#- The natural key as text: trimmed values joined with '|', null as '' (stable across batches). -#}
{% macro record_key(columns) -%}
    {%- for c in columns -%}
        coalesce(trim({{ c }}), ''){% if not loop.last %} || '|' || {% endif %}
    {%- endfor -%}
{%- endmacro %}
