{#-
  Identifier validation in portable SQL (DOMAIN.md "Validation rules").
  Each macro returns a reason string, or null when the value is valid.
-#}

{% macro cccd_invalid_reason(cccd, birth_date, sex) -%}
    {#- Pre-2025 GSO province codes a CCCD may carry (PPP = '0' + code). -#}
    {% set cccd_province_codes = [
        '01','02','04','06','08','10','11','12','14','15','17','19','20','22','24','25','26','27','30','31',
        '33','34','35','36','37','38','40','42','44','45','46','48','49','51','52','54','56','58','60','62',
        '64','66','67','68','70','72','74','75','77','79','80','82','83','84','86','87','89','91','92','93',
        '94','95','96'] %}
    case
        when {{ cccd }} is null then null
        when not {{ regexp_matches(cccd, '[0-9]{12}') }} then
            case when {{ regexp_matches(cccd, '[0-9]{9}') }} then 'cmnd_in_cccd_field' else 'not_12_digits' end
        when substr({{ cccd }}, 1, 1) = '0'
            and substr({{ cccd }}, 2, 2) not in ({% for c in cccd_province_codes %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %})
            then 'unknown_province_code'
        when {{ birth_date }} is not null
            and 1900 + 100 * floor(cast(substr({{ cccd }}, 4, 1) as integer) / 2) + cast(substr({{ cccd }}, 5, 2) as integer)
                <> extract(year from {{ birth_date }})
            then 'birth_year_mismatch'
        when {{ sex }} is not null
            and (case when cast(substr({{ cccd }}, 4, 1) as integer) % 2 = 1 then 'F' else 'M' end) <> {{ sex }}
            then 'sex_mismatch'
    end
{%- endmacro %}

{% macro cmnd_invalid_reason(cmnd) -%}
    case
        when {{ cmnd }} is null then null
        when not {{ regexp_matches(cmnd, '[0-9]{9}') }} then 'not_9_digits'
    end
{%- endmacro %}
