{#-
  Phone numbers to the national form 0 + 9 digits: strips spaces, dots and dashes and
  the +84 / 84 country prefix. Anything else (e.g. stale 11-digit numbers) becomes null;
  phone_invalid_reason says why.
-#}
{% macro phone_digits(expr) -%}
    {{ regexp_replace_all(expr, '[^0-9]', '') }}
{%- endmacro %}

{% macro normalize_phone(expr) -%}
    case
        when {{ regexp_matches(phone_digits(expr), '84[1-9][0-9]{8}') }} then '0' || substr({{ phone_digits(expr) }}, 3)
        when {{ regexp_matches(phone_digits(expr), '0[1-9][0-9]{8}') }} then {{ phone_digits(expr) }}
    end
{%- endmacro %}

{% macro phone_invalid_reason(expr) -%}
    case
        when {{ clean_text(expr) }} is null then null
        when {{ normalize_phone(expr) }} is null then
            case when length({{ phone_digits(expr) }}) = 11 and substr({{ phone_digits(expr) }}, 1, 1) = '0'
                then 'stale_11_digit' else 'unparseable' end
    end
{%- endmacro %}
