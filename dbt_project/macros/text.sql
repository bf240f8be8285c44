{#-
  Text functions that differ between engines. Each is adapter-dispatched: DuckDB has a
  native implementation; another engine adds `<adapter>__<macro>` beside the default.
-#}

{% macro nfc(expr) -%}{{ return(adapter.dispatch('nfc', 'ndc')(expr)) }}{%- endmacro %}
{% macro duckdb__nfc(expr) -%}nfc_normalize({{ expr }}){%- endmacro %}
{% macro spark__nfc(expr) -%}{{ expr }}{%- endmacro %}
{% macro default__nfc(expr) -%}
    {{ exceptions.raise_compiler_error("macro nfc is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro strip_accents(expr) -%}{{ return(adapter.dispatch('strip_accents', 'ndc')(expr)) }}{%- endmacro %}
{% macro duckdb__strip_accents(expr) -%}strip_accents({{ expr }}){%- endmacro %}
{% macro default__strip_accents(expr) -%}
    {{ exceptions.raise_compiler_error("macro strip_accents is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'ndc')(expr, pattern, replacement)) }}
{%- endmacro %}
{% macro duckdb__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro regexp_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'ndc')(expr, pattern)) }}
{%- endmacro %}
{% macro duckdb__regexp_matches(expr, pattern) -%}regexp_full_match({{ expr }}, '{{ pattern }}'){%- endmacro %}
{% macro default__regexp_matches(expr, pattern) -%}({{ expr }} rlike '^{{ pattern }}$'){%- endmacro %}

{#- Blank or whitespace-only text becomes null, so "missing" means one thing everywhere. -#}
{% macro clean_text(expr) -%}nullif(trim({{ expr }}), ''){%- endmacro %}

{#-
  Name match key (DOMAIN.md): Ð (U+00D0) and Đ/đ mapped explicitly (đ has no decomposition),
  then accents stripped, lower-cased, spaces collapsed. "Nguyễn Thị Ðào" -> "nguyen thi dao".
-#}
{% macro name_match_key(expr) -%}
    nullif(trim({{ regexp_replace_all(
        "lower(" ~ strip_accents(
            "replace(replace(replace(" ~ nfc(expr) ~ ", 'Ð', 'D'), 'Đ', 'D'), 'đ', 'd')"
        ) ~ ")",
        '\\s+', ' '
    ) }}), '')
{%- endmacro %}

{#- Name in canonical form: NFC, Ð (U+00D0) -> Đ, single spaces. Casing is repaired in staging. -#}
{% macro canonical_name(expr) -%}
    nullif(trim({{ regexp_replace_all(nfc("replace(" ~ expr ~ ", 'Ð', 'Đ')"), '\\s+', ' ') }}), '')
{%- endmacro %}
