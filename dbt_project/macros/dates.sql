{#- Parse a source date string in one of the formats sources use; null when unparseable. -#}
{% macro try_parse_date(expr, format) -%}
    {{ return(adapter.dispatch('try_parse_date', 'ndc')(expr, format)) }}
{%- endmacro %}
{% macro duckdb__try_parse_date(expr, format) -%}
    cast(try_strptime({{ expr }}, '{{ format }}') as date)
{%- endmacro %}
{% macro default__try_parse_date(expr, format) -%}
    {{ exceptions.raise_compiler_error("macro try_parse_date is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- ISO-8601 timestamp with offset (control column ngay_cap_nhat) to a UTC timestamp. -#}
{% macro parse_timestamp_tz(expr) -%}
    {{ return(adapter.dispatch('parse_timestamp_tz', 'ndc')(expr)) }}
{%- endmacro %}
{% macro duckdb__parse_timestamp_tz(expr) -%}
    cast(timezone('UTC', cast({{ expr }} as timestamptz)) as timestamp)
{%- endmacro %}
{% macro default__parse_timestamp_tz(expr) -%}
    cast({{ expr }} as timestamp)
{%- endmacro %}
