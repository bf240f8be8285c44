{#-
  Phone normalisation for staging (DOMAIN.md "Phones"): every source form (+84 / 84 / 0, spaces,
  dots, dashes, pre-2018 11-digit numbers) to the national form 0 + 9 digits, validated against
  the mobile numbering plan derived from phonenumbers (macros/phone_rules.sql). Portable SQL only.

  vn_phone(expr)               -> '0' + 9 digits, or null
  vn_phone_invalid_reason(expr) -> null when valid or absent; else not_a_vn_number | unknown_prefix
  vn_phone_was_stale(expr)     -> true when a pre-2018 11-digit number was converted
-#}

{#- Digits only, with the country prefix folded to a leading 0 (84xxxxxxxxx -> 0xxxxxxxxx). -#}
{% macro vn_phone_national(expr) -%}
    case
        when {{ regexp_matches(phone_digits(expr), '84[1-9][0-9]{8,9}') }} then '0' || substr({{ phone_digits(expr) }}, 3)
        else {{ phone_digits(expr) }}
    end
{%- endmacro %}

{#- A national number with any pre-2018 prefix converted to its 2018 replacement. -#}
{% macro vn_phone_converted(expr) -%}
    {%- set stale = vn_stale_mobile_prefixes() -%}
    case
        {%- for old, new in stale.items() %}
        when length({{ vn_phone_national(expr) }}) = 11 and substr({{ vn_phone_national(expr) }}, 1, 4) = '{{ old }}'
            then '{{ new }}' || substr({{ vn_phone_national(expr) }}, 5)
        {%- endfor %}
        else {{ vn_phone_national(expr) }}
    end
{%- endmacro %}

{% macro vn_phone_is_mobile(national) -%}
    ({{ regexp_matches(national, '0[1-9][0-9]{8}') }}
        and (substr({{ national }}, 2, 2) in ({% for p in vn_mobile_prefixes_2() %}'{{ p }}'{% if not loop.last %}, {% endif %}{% endfor %})
            or substr({{ national }}, 2, 3) in ({% for p in vn_mobile_prefixes_3() %}'{{ p }}'{% if not loop.last %}, {% endif %}{% endfor %})
            or substr({{ national }}, 2, 4) in ({% for p in vn_mobile_prefixes_4() %}'{{ p }}'{% if not loop.last %}, {% endif %}{% endfor %})))
{%- endmacro %}

{% macro vn_phone(expr) -%}
    case when {{ vn_phone_is_mobile(vn_phone_converted(expr)) }} then {{ vn_phone_converted(expr) }} end
{%- endmacro %}

{% macro vn_phone_invalid_reason(expr) -%}
    case
        when {{ clean_text(expr) }} is null then null
        when {{ vn_phone_is_mobile(vn_phone_converted(expr)) }} then null
        when not {{ regexp_matches(vn_phone_converted(expr), '0[1-9][0-9]{8}') }} then 'not_a_vn_number'
        else 'unknown_prefix'
    end
{%- endmacro %}

{% macro vn_phone_was_stale(expr) -%}
    coalesce(length({{ vn_phone_national(expr) }}) = 11 and {{ vn_phone_converted(expr) }} <> {{ vn_phone_national(expr) }}, false)
{%- endmacro %}
