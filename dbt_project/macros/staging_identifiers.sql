{#-
  More identifier validation in portable SQL (DOMAIN.md "Validation rules"); identifiers.sql holds
  CCCD and CMND. Each *_invalid_reason macro returns null for a valid (or absent) value, else a reason.
-#}

{#- Digits of an MST without the branch dash: 0314409058-002 -> 0314409058002. -#}
{% macro mst_compact(expr) -%}
    replace(replace(trim({{ expr }}), '-', ''), ' ', '')
{%- endmacro %}

{#-
  MST (tax code): 10 digits, or 13 with a branch 001-999 (written 0314409058-002).
  r = sum(w_i * d_i) mod 11 over the first 9 digits, w = (31, 29, 23, 19, 17, 13, 7, 5, 3);
  check digit = 10 - r (r = 0 is never issued); digits 3-9 all zero is invalid. Agrees with
  python-stdnum's stdnum.vn.mst (tests/dbt/test_identifier_macros.py proves it on generated values).
-#}
{% macro mst_invalid_reason(expr) -%}
    {%- set c = mst_compact(expr) -%}
    {%- set weights = [31, 29, 23, 19, 17, 13, 7, 5, 3] -%}
    {%- set ns = namespace(terms=[]) -%}
    {%- for w in weights -%}
        {%- do ns.terms.append(w ~ " * cast(substr(" ~ c ~ ", " ~ loop.index ~ ", 1) as integer)") -%}
    {%- endfor -%}
    case
        when {{ clean_text(expr) }} is null then null
        when not ({{ regexp_matches(c, '[0-9]{10}') }} or {{ regexp_matches(c, '[0-9]{13}') }}) then 'bad_format'
        when substr({{ c }}, 3, 7) = '0000000' then 'zero_body'
        when length({{ c }}) = 13 and substr({{ c }}, 11, 3) = '000' then 'branch_000'
        when mod({{ ns.terms | join(' + ') }}, 11) = 0 then 'never_issued_prefix'
        when cast(substr({{ c }}, 10, 1) as integer) <> 10 - mod({{ ns.terms | join(' + ') }}, 11) then 'check_digit'
    end
{%- endmacro %}

{#- BHXH social-insurance code: 10 digits. -#}
{% macro bhxh_invalid_reason(expr) -%}
    case
        when {{ clean_text(expr) }} is null then null
        when not {{ regexp_matches("trim(" ~ expr ~ ")", '[0-9]{10}') }} then 'not_10_digits'
    end
{%- endmacro %}

{#-
  Health-insurance card: group (2 letters) + benefit level 1-5 + province (2 digits) + the holder's
  BHXH code (10 digits); the embedded code must equal the holder's BHXH when both are known.
-#}
{% macro health_card_invalid_reason(card, bhxh=none) -%}
    case
        when {{ clean_text(card) }} is null then null
        when not {{ regexp_matches("upper(trim(" ~ card ~ "))", '[A-Z]{2}[1-5][0-9]{2}[0-9]{10}') }} then 'bad_format'
        {%- if bhxh is not none %}
        when {{ clean_text(bhxh) }} is not null and substr(trim({{ card }}), 6, 10) <> trim({{ bhxh }}) then 'bhxh_mismatch'
        {%- endif %}
    end
{%- endmacro %}

{#-
  A personal-ID field that should hold a CCCD: the CCCD when it is one, else null (a 9-digit CMND
  moves to the cmnd column, and cccd_invalid_reason says 'cmnd_in_cccd_field').
-#}
{% macro id_field_cccd(expr) -%}
    case when not {{ regexp_matches(clean_text(expr), '[0-9]{9}') }} then {{ clean_text(expr) }} end
{%- endmacro %}

{% macro id_field_cmnd(expr) -%}
    case when {{ regexp_matches(clean_text(expr), '[0-9]{9}') }} then {{ clean_text(expr) }} end
{%- endmacro %}
